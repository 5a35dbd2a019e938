package io.caravan.skydive.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.skydive.compress.Compressor;
import io.caravan.skydive.encode.EncodeException;
import io.caravan.skydive.encode.Encoder;
import io.caravan.skydive.storeheader.StoreHeader;
import io.caravan.skydive.write.StoredObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes one object from one tag's records: store header, encode, compress, key and metadata
 * ({@code first-timestamp} the start of the span, {@code last-timestamp} its end, both epoch
 * milliseconds, and {@code num-records}). The content type, encoding and suffix are the encoder's
 * and the compressor's.
 */
final class ObjectMaker {
    private final String bucket;
    private final String prefix;
    private final StoreHeader header;
    private final Encoder encoder;
    private final Compressor compressor;

    ObjectMaker(String bucket, String prefix, StoreHeader header, Encoder encoder, Compressor compressor) {
        this.bucket = bucket;
        this.prefix = prefix;
        this.header = header;
        this.encoder = encoder;
        this.compressor = compressor;
    }

    StoredObject make(String tag, Instant streamOpened, long seq, List<ObjectNode> records, Instant start,
                      Instant end, boolean skipped) throws EncodeException {
        byte[] data = compressor.compress(encoder.encode(header.wrap(records, start, end, skipped)));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("first-timestamp", Long.toString(start.toEpochMilli()));
        metadata.put("last-timestamp", Long.toString(end.toEpochMilli()));
        metadata.put("num-records", Integer.toString(records.size()));
        return new StoredObject(bucket, ObjectKeys.key(prefix, tag, streamOpened, seq, suffix()), data,
                encoder.contentType(), compressor.contentEncoding(), metadata, records.size());
    }

    String suffix() {
        return encoder.suffix() + compressor.suffix();
    }
}
