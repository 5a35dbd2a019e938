package io.caravan.pipeline.protobuf;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageException;
import java.util.List;
import java.util.function.IntFunction;

/** Writes the batch's records as goflow2 FlowMessages; an empty batch gives null (dropped). Thread-safe. */
final class EncodeProtobufStage implements Stage<FlowBatch, byte[]> {
    private final boolean delimited;
    /** Each thread's work array for {@link FlowProto#encode(List, boolean, IntFunction)}, grown to the largest batch. */
    private final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[0]);

    EncodeProtobufStage(boolean delimited) {
        this.delimited = delimited;
    }

    @Override
    public byte[] apply(FlowBatch batch) throws StageException {
        if (batch == null || batch.isEmpty()) {
            return null;
        }
        try {
            return FlowProto.encode(batch.records(), delimited, this::scratch);
        } catch (IllegalArgumentException e) {
            throw new StageException("cannot write " + batch + " as protobuf: " + e.getMessage(), e);
        }
    }

    private byte[] scratch(int size) {
        byte[] b = scratch.get();
        if (b.length < size) {
            b = new byte[size];
            scratch.set(b);
        }
        return b;
    }
}
