package io.caravan.vanflow.source;

import io.caravan.api.flow.FlowRecord;
import io.caravan.api.log.LogLimit;
import io.caravan.vanflow.amqp.AmqpClient;
import io.caravan.vanflow.amqp.AmqpSettings;
import io.caravan.vanflow.event.Beacon;
import io.caravan.vanflow.event.VanFlowListener;
import io.caravan.vanflow.wire.DecodedRecords;
import io.caravan.vanflow.wire.MalformedMessageException;
import io.caravan.vanflow.wire.MessageCodec;
import io.caravan.vanflow.wire.RecordDecoder;
import io.caravan.vanflow.wire.VanFlowMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The collector's side of the VAN-flow protocol (spec §1.4), on one thread: connects, listens on
 * {@code mc/sfe.all}, attaches each new source's record addresses, sends FLUSH on its first HEARTBEAT
 * or RECORD (else after flushDelay), decodes RECORD bodies, feeds the {@link VanFlowListener},
 * purges silent sources and reconnects with backoff.
 *
 * <p>Qpid JMS's receiving thread only queues what arrives (bounded by queueSize, drops counted),
 * so receivers are drained as fast as the router sends; everything else (decoding, the listener,
 * FlowRecords, link management, FLUSH, timers) runs on the one ingest thread, which is also why the
 * listener is never called concurrently. Time comes from the plugin context's clock; the thread
 * checks flush and purge deadlines every tick.
 */
final class Ingest {
    static final String ALL = "mc/sfe.all";

    private final VanFlowConfiguration config;
    private final AmqpSettings settings;
    private final VanFlowListener listener;
    private final Consumer<List<FlowRecord>> flowSink;
    private final IngestCounts counts;
    private final Clock clock;
    private final Logger log;
    private final RecordDecoder decoder = new RecordDecoder();
    private final MessageCodec codec = new MessageCodec();
    private long flushId;
    private final FlowTable flows;
    private final LogLimit malformedLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private final LogLimit dropLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private final ScheduledExecutorService thread;
    private final AtomicInteger queued = new AtomicInteger();
    private final Map<String, EventSource> sources = new HashMap<>();
    private final Map<String, EventSource> byAddress = new HashMap<>();
    private AmqpClient client;
    /** Bumped at each connection, so callbacks of an old one are ignored. */
    private int generation;
    private long backoffMs;
    private volatile boolean stopping;
    private volatile int activeSources;
    /** For the endpoint's status (admin thread): connected now, and the last connection failure. */
    private volatile boolean connected;
    private volatile String lastError;

    Ingest(VanFlowConfiguration config, AmqpSettings settings, VanFlowListener listener,
           Consumer<List<FlowRecord>> flowSink, IngestCounts counts, Clock clock, Logger log) {
        this.config = config;
        this.settings = settings;
        this.listener = listener;
        this.flowSink = flowSink;
        this.counts = counts;
        this.clock = clock;
        this.log = log;
        this.flows = new FlowTable(config.flowRecords(), config.maxFlows(), counts);
        this.backoffMs = config.reconnectDelay().toMillis();
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "vanflow-" + config.name());
            th.setDaemon(true);
            return th;
        });
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.thread = t;
    }

    void start() {
        long tick = Math.max(10, Math.min(1000, Math.min(config.flushDelay().toMillis(),
                config.silence().toMillis()) / 5));
        thread.execute(this::connect);
        thread.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Stops: the messages already queued are ingested first, then the connection closes. */
    void stop(Duration wait) throws InterruptedException {
        stopping = true;
        try {
            thread.execute(this::disconnect);
        } catch (RejectedExecutionException e) {
            // Already stopped.
        }
        thread.shutdown();
        if (!thread.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            thread.shutdownNow();
        }
    }

    int activeSources() {
        return activeSources;
    }

    boolean connected() {
        return connected;
    }

    /** The last connection failure, or null. */
    String lastError() {
        return lastError;
    }

    int queued() {
        return queued.get();
    }

    // ---- connection -------------------------------------------------------------------------

    private void connect() {
        if (stopping) {
            return;
        }
        int gen = ++generation;
        try {
            client = new AmqpClient(settings, e -> onThread(() -> lost(gen, e)));
            client.receive(ALL, (address, m) -> arrived(gen, address, m));
            counts.add(VanFlowConstants.METER_CONNECTS);
            log.info("vanflow {}: connected to {}, listening on {}", config.name(), config.where(), ALL);
            backoffMs = config.reconnectDelay().toMillis();
            connected = true;
            for (EventSource s : sources.values()) {
                s.attached = false;
                s.flushed = false;
            }
        } catch (Exception e) {
            closeClient();
            connected = false;
            lastError = "cannot connect: " + reason(e);
            log.warn("vanflow {}: cannot connect to {}: {}; retrying in {} ms", config.name(), config.where(),
                    reason(e), backoffMs);
            scheduleReconnect();
        }
    }

    private void lost(int gen, Exception e) {
        if (gen != generation || stopping) {
            return;
        }
        log.warn("vanflow {}: connection to {} lost: {}; reconnecting in {} ms", config.name(), config.where(),
                reason(e), backoffMs);
        connected = false;
        lastError = "connection lost: " + reason(e);
        closeClient();
        byAddress.clear();
        for (EventSource s : sources.values()) {
            s.attached = false;
            s.flushed = false;
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (stopping) {
            return;
        }
        long delay = backoffMs;
        backoffMs = Math.min(backoffMs * 2, config.maxReconnectDelay().toMillis());
        try {
            thread.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Stopping.
        }
    }

    private void disconnect() {
        generation++;
        closeClient();
    }

    private void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    // ---- arrivals ---------------------------------------------------------------------------

    /** On Qpid JMS's thread: queue, never block. */
    private void arrived(int gen, String address, byte[] message) {
        if (queued.incrementAndGet() > config.queueSize()) {
            queued.decrementAndGet();
            counts.add(VanFlowConstants.METER_QUEUE_DROPS);
            if (dropLog.allow()) {
                log.warn("vanflow {}: ingest queue full ({} messages), dropping messages from {} (counted in {})",
                        config.name(), config.queueSize(), address, VanFlowConstants.METER_QUEUE_DROPS);
            }
            return;
        }
        try {
            thread.execute(() -> {
                queued.decrementAndGet();
                if (gen == generation) {
                    handle(address, message);
                }
            });
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet();
        }
    }

    private void onThread(Runnable r) {
        try {
            thread.execute(r);
        } catch (RejectedExecutionException e) {
            // Stopping.
        }
    }

    private void handle(String address, byte[] bytes) {
        long now = clock.millis();
        try {
            VanFlowMessage m = codec.decode(bytes);
            if (ALL.equals(address)) {
                if (!VanFlowMessage.BEACON.equals(m.subject())) {
                    throw new MalformedMessageException("subject '" + m.subject() + "' on " + ALL + ", not BEACON");
                }
                beacon(m.beacon(), now);
                return;
            }
            EventSource s = byAddress.get(address);
            if (s == null) {
                return; // a late delivery for a purged source's receiver
            }
            String subject = m.subject();
            if (VanFlowMessage.HEARTBEAT.equals(subject)) {
                counts.add(VanFlowConstants.METER_HEARTBEATS);
                heard(s, now);
                listener.heartbeat(s.id, now);
            } else if (VanFlowMessage.RECORD.equals(subject)) {
                counts.add(VanFlowConstants.METER_RECORD_MESSAGES);
                heard(s, now);
                if (m.body() == null) {
                    throw new MalformedMessageException("RECORD body is " + m.bodyKind() + ", not an amqp-value list");
                }
                records(s, decoder.decode(m.body()), now);
            } else {
                throw new MalformedMessageException("unexpected subject '" + subject + "'");
            }
        } catch (MalformedMessageException e) {
            malformed(address, e.getMessage());
        } catch (RuntimeException e) {
            // The state or a FlowRecord consumer failed: count, log, keep ingesting.
            counts.add(VanFlowConstants.METER_MALFORMED);
            if (malformedLog.allow()) {
                log.warn("vanflow {}: processing a message from {} failed: {}", config.name(), address, reason(e), e);
            }
        }
    }

    private void beacon(Beacon b, long now) {
        counts.add(VanFlowConstants.METER_BEACONS);
        EventSource s = sources.get(b.identity());
        if (s == null) {
            s = new EventSource(b, now);
            sources.put(s.id, s);
            activeSources = sources.size();
            counts.add(VanFlowConstants.METER_SOURCES);
            log.info("vanflow {}: new {} event source {} ({})", config.name(), b.sourceType(), b.identity(),
                    b.address());
        } else {
            s.beacon = b;
        }
        s.lastHeardMs = now;
        listener.beacon(b, now);
        if (!s.attached && client != null) {
            try {
                for (String a : s.addresses(config.logs())) {
                    int gen = generation;
                    client.receive(a, (address, m) -> arrived(gen, address, m));
                    byAddress.put(a, s);
                }
                s.attached = true;
                s.attachedMs = now;
            } catch (Exception e) {
                log.warn("vanflow {}: cannot attach the receivers of {}: {}", config.name(), s.id, reason(e));
            }
        }
    }

    private void heard(EventSource s, long now) {
        s.lastHeardMs = now;
        if (!s.flushed) {
            flush(s);
        }
    }

    private void records(EventSource s, DecodedRecords d, long now) {
        counts.add(VanFlowConstants.METER_RECORDS, d.records().size());
        counts.add(VanFlowConstants.METER_UNKNOWN_TYPES, d.unknownTypes());
        counts.add(VanFlowConstants.METER_UNKNOWN_CODES, d.unknownCodes());
        if (d.malformedRecords() > 0) {
            counts.add(VanFlowConstants.METER_MALFORMED_RECORDS, d.malformedRecords());
            if (malformedLog.allow()) {
                log.warn("vanflow {}: skipped {} malformed record(s) from {}: {}", config.name(),
                        d.malformedRecords(), s.id, d.firstProblem());
            }
        }
        if (d.records().isEmpty()) {
            return;
        }
        listener.records(s.id, d.records(), now);
        emit(flows.merge(s.id, d.records(), now));
    }

    private void emit(List<FlowRecord> records) {
        if (!records.isEmpty()) {
            flowSink.accept(records);
        }
    }

    private void flush(EventSource s) {
        if (client == null || !s.attached) {
            return;
        }
        try {
            client.send(s.beacon.direct(), MessageCodec.flush(s.beacon.direct(), ++flushId));
            s.flushed = true;
            counts.add(VanFlowConstants.METER_FLUSHES);
            log.debug("vanflow {}: FLUSH sent to {}", config.name(), s.beacon.direct());
        } catch (Exception e) {
            log.warn("vanflow {}: cannot send FLUSH to {}: {}", config.name(), s.beacon.direct(), reason(e));
        }
    }

    private void malformed(String address, String what) {
        counts.add(VanFlowConstants.METER_MALFORMED);
        if (malformedLog.allow()) {
            log.warn("vanflow {}: malformed message on {}: {} (counted in {}; further ones logged every {} s)",
                    config.name(), address, what, VanFlowConstants.METER_MALFORMED, malformedLog.intervalSeconds());
        }
    }

    // ---- timers -----------------------------------------------------------------------------

    private void tick() {
        try {
            long now = clock.millis();
            long flushAfter = config.flushDelay().toMillis();
            long silence = config.silence().toMillis();
            List<EventSource> lost = new ArrayList<>();
            for (EventSource s : sources.values()) {
                if (now - s.lastHeardMs >= silence) {
                    lost.add(s);
                } else if (s.attached && !s.flushed && now - s.attachedMs >= flushAfter) {
                    flush(s);
                }
            }
            for (EventSource s : lost) {
                purge(s, now);
            }
        } catch (RuntimeException e) {
            log.warn("vanflow {}: timer failed: {}", config.name(), reason(e), e);
        }
    }

    private void purge(EventSource s, long now) {
        sources.remove(s.id);
        activeSources = sources.size();
        for (String a : s.addresses(config.logs())) {
            byAddress.remove(a);
            if (client != null) {
                client.stopReceiving(a);
            }
        }
        if (client != null) {
            client.stopSending(s.beacon.direct());
        }
        counts.add(VanFlowConstants.METER_PURGES);
        log.info("vanflow {}: event source {} silent for {} ms, purged", config.name(), s.id, now - s.lastHeardMs);
        listener.sourceLost(s.id, now);
        emit(flows.purge(s.id, now));
    }

    private static String reason(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 400; t = t.getCause() == t ? null : t.getCause()) {
            if (!b.isEmpty()) {
                b.append(": ");
            }
            b.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
        return b.toString();
    }
}
