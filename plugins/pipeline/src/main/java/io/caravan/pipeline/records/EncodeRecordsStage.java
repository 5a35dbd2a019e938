package io.caravan.pipeline.records;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageException;
import java.util.List;
import org.apache.camel.Message;

/**
 * A batch as a list of messages, one per record, body the encoded record and the key header set
 * when the record has a key. An empty batch gives null (dropped). Thread-safe.
 *
 * <p>The messages ({@link RecordMessage}) belong to no CamelContext (stages have none): they are
 * carriers a producer reads body and headers from, as camel-kafka does for a list body's elements.
 */
final class EncodeRecordsStage implements Stage<FlowBatch, List<Message>> {
    private final Stage<FlowBatch, byte[]> encoder;
    private final Slicer slicer;
    private final RecordKey key;
    private final String keyHeader;

    EncodeRecordsStage(Stage<FlowBatch, byte[]> encoder, Slicer slicer, RecordKey key, String keyHeader) {
        this.encoder = encoder;
        this.slicer = slicer;
        this.key = key;
        this.keyHeader = keyHeader;
    }

    @Override
    public List<Message> apply(FlowBatch batch) throws StageException {
        if (batch == null || batch.isEmpty()) {
            return null;
        }
        // Keys first: the encoder may not be handed the records again after it returns.
        List<FlowRecord> records = batch.records();
        Origin origin = batch.origin();
        String[] keys = new String[records.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = key.of(records.get(i), origin);
        }
        byte[] encoded = encoder.apply(batch);
        EncodedRecords out = new EncodedRecords(keys.length);
        int n = slicer.slice(encoded, body -> {
            Message m = new RecordMessage(body);
            String k = out.size() < keys.length ? keys[out.size()] : null; // more is refused below
            if (k != null) {
                m.setHeader(keyHeader, k);
            }
            out.add(m, body.length);
        });
        if (n != keys.length) {
            throw new StageException("encoded " + keys.length + " records of " + batch + " but cut " + n + " messages");
        }
        return out;
    }
}
