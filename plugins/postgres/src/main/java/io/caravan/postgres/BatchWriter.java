package io.caravan.postgres;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.log.LogLimit;
import io.caravan.api.metrics.Counter;
import io.caravan.api.plugin.PluginContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.slf4j.Logger;

/**
 * Collects rows into batches and sends each with one COPY. While the database is away, batches go
 * to the {@link Spool} on disk and are sent from there, oldest first, with attempts backing off
 * from 100 ms to {@code retryMax}; a stop sends what is buffered or spools it, so nothing accepted
 * is lost. Rows the server refuses for their content are set aside in rejected.copy and counted,
 * never retried for ever. One lock: a COPY blocks callers, who are a queue's drain thread.
 */
final class BatchWriter {
    private static final long FIRST_RETRY_MS = 100;

    private final PostgresConfiguration config;
    private final FlowDatabase db;
    private final Spool spool;
    private final Logger log;
    private final LogLimit logLimit = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private final CopyRows rows = new CopyRows();
    private final Counter recordsOut;
    private final Counter bytesOut;
    private final Counter failures;
    private final Counter spooled;
    private final Counter refused;
    private final Counter rejected;
    private final Counter clamped;
    private long firstRowAtNs;
    private long retryDelayMs;
    private long nextAttemptNs;
    private String lastError;

    BatchWriter(PostgresConfiguration config, FlowDatabase db, Spool spool, PluginContext context) {
        this.config = config;
        this.db = db;
        this.spool = spool;
        this.log = context.logger("postgres");
        String[] tags = {"table", config.table()};
        this.recordsOut = context.counter("caravan.postgres.records.out", tags);
        this.bytesOut = context.counter("caravan.postgres.bytes.out", tags);
        this.failures = context.counter("caravan.postgres.failures", tags);
        this.spooled = context.counter("caravan.postgres.records.spooled", tags);
        this.refused = context.counter("caravan.postgres.records.refused", tags);
        this.rejected = context.counter("caravan.postgres.batches.rejected", tags);
        this.clamped = context.counter("caravan.postgres.values.clamped", tags);
        context.gauge("caravan.postgres.spool.bytes", this::spoolBytes, tags);
        context.gauge("caravan.postgres.buffered.records", this::bufferedRecords, tags);
    }

    synchronized void add(FlowBatch batch) {
        for (FlowRecord r : batch.records()) {
            if (rows.records() == 0) {
                firstRowAtNs = System.nanoTime();
            }
            rows.add(r);
            if (rows.records() >= config.batchRecords()) {
                flush();
            }
        }
    }

    /** Sends a batch that waited {@code flushInterval}, and what is spooled once an attempt is due. */
    synchronized void tick() {
        if (rows.records() > 0 && System.nanoTime() - firstRowAtNs >= config.flushInterval().toNanos()) {
            flush();
        }
        drainSpool();
    }

    /** Sends or spools everything buffered: the last call before the endpoint stops. */
    synchronized void stop() {
        if (rows.records() > 0) {
            nextAttemptNs = System.nanoTime();
            flush();
        }
    }

    private void flush() {
        int n = rows.records();
        long clampedNow = rows.clamped();
        byte[] data = rows.take();
        if (clampedNow > 0) {
            clamped.increment(clampedNow);
        }
        try {
            if (spool.isEmpty() && attemptDue()) {
                try {
                    db.copy(new ByteArrayInputStream(data));
                    sent(n, data.length);
                    return;
                } catch (SQLException | IOException e) {
                    failed(e);
                } catch (FlowDatabase.RowsRefused e) {
                    setAside(data, n, e);
                    return;
                }
            }
            if (spool.append(data)) {
                spooled.increment(n);
            } else {
                refused.increment(n);
                if (logLimit.allow()) {
                    log.error("postgres:{}: the spool is full ({} bytes, spoolBytes); {} rows refused (counted in"
                            + " caravan_postgres_records_refused_total)", config.table(), spool.bytes(), n);
                }
            }
            drainSpool();
        } catch (IOException e) {
            throw new UncheckedIOException("postgres:" + config.table() + ": the spool cannot be written", e);
        }
    }

    private void drainSpool() {
        try {
            Path file;
            while (attemptDue() && (file = spool.next()) != null) {
                long size = Files.size(file);
                try (InputStream in = Files.newInputStream(file)) {
                    long n = db.copy(in);
                    spool.sent(file);
                    sent(n, size);
                    log.info("postgres:{}: sent {} spooled rows", config.table(), n);
                } catch (SQLException e) {
                    failed(e);
                } catch (FlowDatabase.RowsRefused e) {
                    spool.reject(file);
                    rejected.increment();
                    log.error("postgres:{}: the database refused a spooled batch ({}); set aside in {}", config.table(),
                            e.getMessage(), spool.rejectedFile());
                }
            }
        } catch (IOException e) {
            failed(e);
        }
    }

    private void setAside(byte[] data, int n, FlowDatabase.RowsRefused e) throws IOException {
        Path tmp = Files.createTempFile(spool.rejectedFile().getParent(), "refused", ".copy");
        Files.write(tmp, data);
        spool.reject(tmp);
        rejected.increment();
        log.error("postgres:{}: the database refused a batch of {} rows ({}); set aside in {}", config.table(), n,
                e.getMessage(), spool.rejectedFile());
    }

    private boolean attemptDue() {
        return System.nanoTime() - nextAttemptNs >= 0;
    }

    private void sent(long n, long bytes) {
        recordsOut.increment(n);
        bytesOut.increment(bytes);
        if (retryDelayMs > 0) {
            log.info("postgres:{}: the database is back", config.table());
        }
        retryDelayMs = 0;
        lastError = null;
    }

    private void failed(Exception e) {
        failures.increment();
        retryDelayMs = retryDelayMs == 0 ? FIRST_RETRY_MS : Math.min(retryDelayMs * 2, config.retryMax().toMillis());
        nextAttemptNs = System.nanoTime() + retryDelayMs * 1_000_000L;
        lastError = e.getMessage();
        if (logLimit.allow()) {
            log.warn("postgres:{}: the database is unavailable ({}); rows are spooled and sent when it is back, next"
                    + " attempt in {} ms", config.table(), e.getMessage(), retryDelayMs);
        }
    }

    private double spoolBytes() {
        try {
            return spool.bytes();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private double bufferedRecords() {
        return rows.records();
    }

    /** The last failure's text while the database is away, else null. */
    synchronized String lastError() {
        return lastError;
    }
}
