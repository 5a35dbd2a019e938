package io.caravan.pipeline.protobuf;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageException;
import java.time.Clock;

/**
 * Reads goflow2 FlowMessages into a batch whose origin has no exporter, received now. A malformed
 * message fails the whole input, naming the message and the byte offset. Thread-safe.
 */
final class DecodeProtobufStage implements Stage<byte[], FlowBatch> {
    private final boolean delimited;
    private final Clock clock;

    DecodeProtobufStage(boolean delimited, Clock clock) {
        this.delimited = delimited;
        this.clock = clock;
    }

    @Override
    public FlowBatch apply(byte[] input) throws StageException {
        try {
            return new FlowBatch(new Origin(null, 0, clock.millis()), FlowProto.decode(input, delimited));
        } catch (ProtoException e) {
            throw new StageException(e.getMessage(), e);
        }
    }
}
