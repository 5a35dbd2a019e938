package io.caravan.skydive.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.skydive.account.Account;
import io.caravan.skydive.write.ObjectWriter;
import io.caravan.skydive.write.StoredObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exporter's {@code store direct}: every batch is written at once, one object per tag, before
 * the exchange goes on; a failed write fails the exchange (the route's error handler decides about
 * redelivery) and nothing is held. Unlike the exporter (bucket {@code my_dirname}, key {@code <tag>},
 * overwritten by every batch, no header or metadata), objects get the configured bucket, the same
 * keys, store header and metadata as the buffered store, so no batch overwrites another.
 */
final class DirectStore implements Store {
    private final ObjectMaker maker;
    private final ObjectWriter writer;
    private final Account account;
    private final StoreMetrics metrics;
    private final StoreConfiguration config;
    private final Clock clock;
    private final Map<String, Stream> streams = new HashMap<>();

    /** A tag's stream: when it opened, the next sequence, the last write. */
    private static final class Stream {
        Instant opened;
        long seq;
        Instant last;
    }

    DirectStore(StoreConfiguration config, ObjectMaker maker, ObjectWriter writer, Account account,
                StoreMetrics metrics, Clock clock) {
        this.config = config;
        this.maker = maker;
        this.writer = writer;
        this.account = account;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public synchronized boolean accept(Map<String, List<ObjectNode>> byTag) throws Exception {
        for (Map.Entry<String, List<ObjectNode>> e : byTag.entrySet()) {
            Instant now = clock.instant();
            Stream s = streams.computeIfAbsent(e.getKey(), t -> new Stream());
            if (s.opened == null || !now.isBefore(s.opened.plus(config.maxSecondsPerStream()))) {
                s.opened = now;
                s.seq = 0;
            }
            Instant start = s.last == null ? now : s.last;
            StoredObject object = maker.make(e.getKey(), s.opened, s.seq, e.getValue(), start, now, false);
            try {
                writer.write(object);
            } catch (Exception ex) {
                metrics.failures.increment();
                throw ex;
            }
            s.seq++;
            s.last = now;
            metrics.flows.increment(e.getValue().size());
            account.add(object.data().length);
        }
        return false;
    }

    @Override
    public void check() {
    }

    @Override
    public long flushAll(Duration timeout) {
        return 0;
    }

    @Override
    public long buffered() {
        return 0;
    }

    @Override
    public synchronized Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "direct");
        out.put("writer", writer.describe());
        Map<String, Object> perTag = new LinkedHashMap<>();
        streams.forEach((tag, s) -> perTag.put(tag, Map.of("stream", ObjectKeys.streamId(s.opened), "nextSeq", s.seq)));
        out.put("tags", perTag);
        return out;
    }
}
