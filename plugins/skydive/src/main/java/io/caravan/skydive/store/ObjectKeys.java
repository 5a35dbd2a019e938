package io.caravan.skydive.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Object keys, as the exporter names them: {@code <prefix>/<tag>/<stream>/<seq %08d><suffix>},
 * where the stream is the UTC time the tag's stream opened as {@code yyyyMMdd'T'HHmmss'Z'} and the
 * sequence counts objects within the stream from 0. An empty prefix leaves out its '/'.
 */
public final class ObjectKeys {
    static final DateTimeFormatter STREAM = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private ObjectKeys() {
    }

    public static String streamId(Instant opened) {
        return STREAM.format(opened);
    }

    public static String key(String prefix, String tag, Instant streamOpened, long seq, String suffix) {
        String base = tag + "/" + streamId(streamOpened) + "/" + String.format("%08d", seq) + suffix;
        return prefix.isEmpty() ? base : prefix + "/" + base;
    }
}
