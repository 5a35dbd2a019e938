package io.caravan.skydive.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.skydive.account.Account;
import io.caravan.skydive.encode.EncodeException;
import io.caravan.skydive.write.ObjectWriter;
import io.caravan.skydive.write.StoredObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * The exporter's {@code store buffered}, per tag:
 * <ul>
 *   <li>flows wait in the tag's buffer; the tag flushes while it holds flows and either holds
 *       {@code maxFlowsPerObject} or {@code maxSecondsPerObject} have passed since its last flush,
 *       each object holding at most {@code maxFlowsPerObject} flows;</li>
 *   <li>a tag's stream (the key's time part) is renewed, sequence 0, once
 *       {@code maxSecondsPerStream} have passed since it opened;</li>
 *   <li>past {@code maxFlowArraySize} flows, the oldest waiting ones are dropped and counted;</li>
 *   <li>a failed write puts the flows back and the tag waits (backoff doubling from
 *       {@code retryInitial} to {@code retryMax}) before it tries again, with the same key;</li>
 *   <li>{@link #flushAll} writes everything, retrying until a deadline, for a clean stop.</li>
 * </ul>
 * Producers only add under a short lock; objects are made and written outside it, by one writer at
 * a time (the endpoint's timer thread, or the stopping thread), so a slow object store never
 * blocks the route and keys are never raced.
 */
final class BufferedStore implements Store {
    private final StoreConfiguration config;
    private final ObjectMaker maker;
    private final ObjectWriter writer;
    private final Account account;
    private final StoreMetrics metrics;
    private final Clock clock;
    private final Logger log;
    private final Object lock = new Object();
    private final Object writeLock = new Object();
    private final Map<String, TagBuffer> tags = new LinkedHashMap<>();
    private final AtomicLong buffered = new AtomicLong();

    BufferedStore(StoreConfiguration config, ObjectMaker maker, ObjectWriter writer, Account account,
                  StoreMetrics metrics, Clock clock, Logger log) {
        this.config = config;
        this.maker = maker;
        this.writer = writer;
        this.account = account;
        this.metrics = metrics;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public boolean accept(Map<String, List<ObjectNode>> byTag) {
        boolean full = false;
        synchronized (lock) {
            Instant now = clock.instant();
            for (Map.Entry<String, List<ObjectNode>> e : byTag.entrySet()) {
                TagBuffer b = tags.computeIfAbsent(e.getKey(), t -> new TagBuffer(t, now, config.retryInitial()));
                b.pending.addAll(e.getValue());
                int dropped = b.trim(config.maxFlowArraySize());
                if (dropped > 0) {
                    metrics.droppedFull.increment(dropped);
                    log.warn("store {}: tag {} holds more than maxFlowArraySize={} flows; dropped the {} oldest",
                            config.name(), b.tag, config.maxFlowArraySize(), dropped);
                }
                full |= b.pending.size() >= config.maxFlowsPerObject() && b.retryAt == null;
            }
            recount();
        }
        return full;
    }

    @Override
    public void check() {
        synchronized (writeLock) {
            for (TagBuffer b : snapshot()) {
                flushTag(b, false);
            }
        }
    }

    @Override
    public long flushAll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMs = Math.max(10, config.retryInitial().toMillis());
        synchronized (writeLock) {
            while (true) {
                boolean allWritten = true;
                for (TagBuffer b : snapshot()) {
                    allWritten &= flushTag(b, true);
                }
                long left = buffered();
                if (allWritten && left == 0) {
                    return 0;
                }
                long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMs <= 0) {
                    log.error("store {}: {} flows could not be written to {} before the stop timeout; they are lost"
                            + " unless the store starts again", config.name(), left, writer.describe());
                    return left;
                }
                TimeUnit.MILLISECONDS.sleep(Math.min(pauseMs, remainingMs));
                pauseMs = Math.min(pauseMs * 2, config.retryMax().toMillis());
            }
        }
    }

    /**
     * Writes the tag's due objects. {@code force} writes everything, ignoring the time rules and
     * the retry schedule. Returns false when a write failed.
     */
    private boolean flushTag(TagBuffer b, boolean force) {
        while (true) {
            List<ObjectNode> chunk;
            Instant now;
            Instant start;
            Instant streamOpened;
            long seq;
            boolean skipped;
            boolean retry;
            synchronized (lock) {
                now = clock.instant();
                if (b.pending.isEmpty()) {
                    return true;
                }
                if (!force) {
                    if (b.retryAt != null && now.isBefore(b.retryAt)) {
                        return true;
                    }
                    boolean byCount = b.pending.size() >= config.maxFlowsPerObject();
                    boolean byTime = !now.isBefore(b.lastFlush.plus(config.maxSecondsPerObject()));
                    if (!byCount && !byTime) {
                        return true;
                    }
                }
                if (b.streamOpened == null || !now.isBefore(b.streamOpened.plus(config.maxSecondsPerStream()))) {
                    b.streamOpened = now;
                    b.seq = 0;
                }
                chunk = b.take(config.maxFlowsPerObject());
                start = b.lastFlush;
                streamOpened = b.streamOpened;
                seq = b.seq;
                skipped = b.droppedSinceObject > 0;
                retry = b.retryAt != null;
            }
            if (retry) {
                metrics.retries.increment();
            }
            StoredObject object;
            try {
                object = maker.make(b.tag, streamOpened, seq, chunk, start, now, skipped);
            } catch (EncodeException | RuntimeException e) {
                // Retrying cannot help an object that does not encode: count and say so, keep the rest going.
                synchronized (lock) {
                    b.inFlight.clear();
                    recount();
                }
                metrics.droppedEncode.increment(chunk.size());
                log.error("store {}: dropped {} flows of tag {}: {}", config.name(), chunk.size(), b.tag, e.toString());
                continue;
            }
            try {
                writer.write(object);
            } catch (Exception e) {
                metrics.failures.increment();
                synchronized (lock) {
                    b.putBack();
                    b.consecutiveFailures++;
                    b.lastError = e.toString();
                    b.retryAt = clock.instant().plus(b.backoff);
                    Duration next = b.backoff.multipliedBy(2);
                    b.backoff = next.compareTo(config.retryMax()) > 0 ? config.retryMax() : next;
                }
                log.warn("store {}: writing {} ({} flows) to {} failed ({} in a row), keeping the flows and retrying"
                        + " in {}: {}", config.name(), object.key(), chunk.size(), writer.describe(),
                        b.consecutiveFailures, b.backoff, rootMessage(e));
                return false;
            }
            synchronized (lock) {
                b.inFlight.clear();
                b.seq++;
                b.lastFlush = now;
                b.droppedSinceObject = 0;
                if (b.retryAt != null) {
                    log.info("store {}: writing to {} works again after {} failures", config.name(),
                            writer.describe(), b.consecutiveFailures);
                }
                b.retryAt = null;
                b.consecutiveFailures = 0;
                b.lastError = null;
                b.backoff = config.retryInitial();
                recount();
            }
            metrics.flows.increment(chunk.size());
            account.add(object.data().length);
            if (log.isDebugEnabled()) {
                log.debug("store {}: wrote {}/{} ({} flows, {} bytes)", config.name(), object.bucket(), object.key(),
                        chunk.size(), object.data().length);
            }
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? e.toString() : e + " (cause: " + t + ")";
    }

    private List<TagBuffer> snapshot() {
        synchronized (lock) {
            return new ArrayList<>(tags.values());
        }
    }

    private void recount() {
        long n = 0;
        for (TagBuffer b : tags.values()) {
            n += b.size();
        }
        buffered.set(n);
    }

    @Override
    public long buffered() {
        return buffered.get();
    }

    /** The seconds a tag has been failing to write, or empty. */
    String failing() {
        synchronized (lock) {
            for (TagBuffer b : tags.values()) {
                if (b.retryAt != null) {
                    return "store " + config.name() + ": writing tag " + b.tag + " to " + writer.describe() + " failed "
                            + b.consecutiveFailures + " times in a row (" + b.lastError + "); " + b.size()
                            + " flows kept for retry";
                }
            }
            return null;
        }
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> perTag = new LinkedHashMap<>();
        synchronized (lock) {
            for (TagBuffer b : tags.values()) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("buffered", b.size());
                t.put("stream", b.streamOpened == null ? null : ObjectKeys.streamId(b.streamOpened));
                t.put("nextSeq", b.seq);
                t.put("lastFlush", b.lastFlush.toString());
                t.put("retryAt", b.retryAt == null ? null : b.retryAt.toString());
                t.put("consecutiveFailures", b.consecutiveFailures);
                t.put("lastError", b.lastError);
                perTag.put(b.tag, t);
            }
        }
        out.put("type", "buffered");
        out.put("writer", writer.describe());
        out.put("buffered", buffered());
        out.put("tags", perTag);
        return out;
    }
}
