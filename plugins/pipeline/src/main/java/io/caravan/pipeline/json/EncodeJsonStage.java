package io.caravan.pipeline.json;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageException;
import java.io.IOException;

/** Writes the batch's records as JSON lines; an empty batch gives null (dropped). Thread-safe. */
final class EncodeJsonStage implements Stage<FlowBatch, byte[]> {
    private final FlowJson json;
    private final boolean attributes;
    private final boolean omitZero;

    EncodeJsonStage(FlowJson json, boolean attributes, boolean omitZero) {
        this.json = json;
        this.attributes = attributes;
        this.omitZero = omitZero;
    }

    @Override
    public byte[] apply(FlowBatch batch) throws StageException {
        if (batch == null || batch.isEmpty()) {
            return null;
        }
        try {
            return json.encode(batch.records(), attributes, omitZero);
        } catch (IOException | IllegalArgumentException e) {
            throw new StageException("cannot write " + batch + " as JSON: " + e.getMessage(), e);
        }
    }
}
