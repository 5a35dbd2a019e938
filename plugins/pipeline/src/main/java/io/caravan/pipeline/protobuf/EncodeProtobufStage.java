package io.caravan.pipeline.protobuf;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageException;

/** Writes the batch's records as goflow2 FlowMessages; an empty batch gives null (dropped). Thread-safe. */
final class EncodeProtobufStage implements Stage<FlowBatch, byte[]> {
    private final boolean delimited;

    EncodeProtobufStage(boolean delimited) {
        this.delimited = delimited;
    }

    @Override
    public byte[] apply(FlowBatch batch) throws StageException {
        if (batch == null || batch.isEmpty()) {
            return null;
        }
        try {
            return FlowProto.encode(batch.records(), delimited);
        } catch (IllegalArgumentException e) {
            throw new StageException("cannot write " + batch + " as protobuf: " + e.getMessage(), e);
        }
    }
}
