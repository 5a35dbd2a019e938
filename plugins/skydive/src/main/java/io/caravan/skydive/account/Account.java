package io.caravan.skydive.account;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.metrics.Counter;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Bytes and objects written by one store, per period and in total: the exporter's {@code account}
 * step, which it never called and Caravan does after every object written. Each object counts to
 * the meters and, when a file is set, the totals are rewritten atomically (a temporary file beside
 * it, then a rename) in the exporter's shape:
 * <pre>{@code {"version":1, "accumulate-start":..., "accumulate-end":..., "accumulate-bytes":N,
 *  "current-start":..., "current-end":..., "current-bytes":N, "accumulate-objects":N, "current-objects":N}}</pre>
 * Times are RFC 3339 UTC. The current period is {@code period} long and aligned to the epoch
 * (with 1d: UTC days); a new one starts with zero. A file left by an earlier run is read back, so
 * the totals survive restarts. Thread-safe.
 */
public final class Account {
    static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final Duration period;
    private final Clock clock;
    private final Logger log;
    private final Counter bytesCounter;
    private final Counter objectsCounter;
    private Instant accumulateStart;
    private Instant accumulateEnd;
    private long accumulateBytes;
    private long accumulateObjects;
    private Instant currentStart;
    private long currentBytes;
    private long currentObjects;

    /**
     * @param file    where the totals go, or null for the meters only
     * @param period  the length of an accounting period
     * @param bytes   counts bytes written
     * @param objects counts objects written
     */
    public Account(Path file, Duration period, Clock clock, Logger log, Counter bytes, Counter objects) {
        this.file = file;
        this.period = period;
        this.clock = clock;
        this.log = log;
        this.bytesCounter = bytes;
        this.objectsCounter = objects;
        Instant now = clock.instant();
        this.accumulateStart = now;
        this.accumulateEnd = now;
        this.currentStart = periodStart(now);
        if (file != null) {
            load();
        }
    }

    /** Counts one object of {@code bytes} written. */
    public synchronized void add(long bytes) {
        bytesCounter.increment(bytes);
        objectsCounter.increment();
        Instant now = clock.instant();
        Instant start = periodStart(now);
        if (!start.equals(currentStart)) {
            currentStart = start;
            currentBytes = 0;
            currentObjects = 0;
        }
        currentBytes += bytes;
        currentObjects++;
        accumulateBytes += bytes;
        accumulateObjects++;
        accumulateEnd = now;
        if (file != null) {
            save();
        }
    }

    /** Bytes of the current period. */
    public synchronized long currentBytes() {
        return periodStart(clock.instant()).equals(currentStart) ? currentBytes : 0;
    }

    /** Objects of the current period. */
    public synchronized long currentObjects() {
        return periodStart(clock.instant()).equals(currentStart) ? currentObjects : 0;
    }

    public synchronized long accumulateBytes() {
        return accumulateBytes;
    }

    public Path file() {
        return file;
    }

    private Instant periodStart(Instant t) {
        long p = period.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), p) * p);
    }

    private ObjectNode json() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("version", VERSION);
        o.put("accumulate-start", accumulateStart.toString());
        o.put("accumulate-end", accumulateEnd.toString());
        o.put("accumulate-bytes", accumulateBytes);
        o.put("current-start", currentStart.toString());
        o.put("current-end", currentStart.plus(period).toString());
        o.put("current-bytes", currentBytes);
        o.put("accumulate-objects", accumulateObjects);
        o.put("current-objects", currentObjects);
        return o;
    }

    private void save() {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.write(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(json()));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // The meters still count; the file catches up with the next object.
            log.warn("cannot write the account file {}: {}", file, e.toString());
        }
    }

    private void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            var o = MAPPER.readTree(file.toFile());
            accumulateStart = Instant.parse(o.path("accumulate-start").asText());
            accumulateEnd = Instant.parse(o.path("accumulate-end").asText());
            accumulateBytes = o.path("accumulate-bytes").asLong();
            accumulateObjects = o.path("accumulate-objects").asLong();
            Instant start = Instant.parse(o.path("current-start").asText());
            if (start.equals(currentStart)) {
                currentBytes = o.path("current-bytes").asLong();
                currentObjects = o.path("current-objects").asLong();
            }
        } catch (IOException | RuntimeException e) {
            log.warn("the account file {} is unreadable ({}); starting from zero", file, e.toString());
        }
    }
}
