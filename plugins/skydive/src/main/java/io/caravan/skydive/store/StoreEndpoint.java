package io.caravan.skydive.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.log.LogLimit;
import io.caravan.api.plugin.EndpointStatus;
import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionSpec;
import io.caravan.skydive.compress.CompressType;
import io.caravan.skydive.account.Account;
import io.caravan.skydive.storeheader.StoreHeader;
import io.caravan.skydive.write.EndpointWriter;
import io.caravan.skydive.write.FileObjectWriter;
import io.caravan.skydive.write.ObjectWriter;
import io.caravan.skydive.write.StdoutWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;
import org.slf4j.Logger;

/**
 * One store. Its producers split each batch by the record attribute {@code tag} and hand the
 * records (attribute {@code skydive.record}, else the original Skydive flow) to the store; records
 * with neither are counted as invalid and logged. Started, it opens its writer and runs one timer
 * thread that writes due objects and retries failed writes every {@code checkInterval}; stopped
 * (or when a producer stops), it writes everything still held, retrying for up to
 * {@code stopTimeout}, before it closes the writer.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = StoreConstants.SCHEME, title = "Skydive store",
        syntax = "skydive-store:name", producerOnly = true, category = {Category.CLOUD, Category.FILE})
public final class StoreEndpoint extends DefaultEndpoint implements EndpointStatus {
    private final StoreConfiguration configuration;
    private final PluginContext context;
    private final Logger log;
    private final StoreMetrics metrics;
    private final LogLimit invalidLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private volatile Store store;
    private volatile Account account;
    private ObjectWriter writer;
    private ScheduledExecutorService timer;
    /** When the stop flush in progress gives up (System.nanoTime), or 0: a producer stop and the endpoint stop share one stopTimeout. */
    private volatile long stopDeadline;

    StoreEndpoint(String uri, StoreComponent component, StoreConfiguration configuration, PluginContext context) {
        super(uri, component);
        this.configuration = configuration;
        this.context = context;
        this.log = context.logger("store");
        this.metrics = new StoreMetrics(context, configuration.name());
    }

    @Override
    public Producer createProducer() {
        return new StoreProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(StoreConstants.SCHEME + ": is write-only; use "
                + getEndpointUri() + " as a 'to' step, not as a route's 'from'");
    }

    @Override
    public boolean isSingleton() {
        return true;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        StoreConfiguration c = configuration;
        writer = writer(c);
        writer.start();
        Path accountFile = c.accountFile().isBlank() ? null : Path.of(c.accountFile()).toAbsolutePath();
        account = new Account(accountFile, c.accountPeriod(), context.clock(), log, metrics.bytes, metrics.objects);
        StoreHeader header = c.header().create(c.headerFields());
        ObjectMaker maker = new ObjectMaker(c.bucket(), c.prefix(), header, c.encode().create(c.pretty()),
                c.compress().create());
        store = c.type() == StoreType.BUFFERED
                ? new BufferedStore(c, maker, writer, account, metrics, context.clock(), log)
                : new DirectStore(c, maker, writer, account, metrics, context.clock());
        metrics.gauge("caravan.skydive.store.buffered", () -> store.buffered());
        metrics.gauge("caravan.skydive.store.period.bytes", () -> account.currentBytes());
        metrics.gauge("caravan.skydive.store.period.objects", () -> account.currentObjects());
        if (c.type() == StoreType.BUFFERED) {
            long period = c.checkInterval().toMillis();
            timer = getCamelContext().getExecutorServiceManager()
                    .newSingleThreadScheduledExecutor(this, "SkydiveStore-" + c.name());
            timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
        }
        log.info("store {}: {} objects of {}{} to {}", c.name(), OptionSpec.choiceName(c.type()),
                OptionSpec.choiceName(c.encode()), c.compress() == CompressType.GZIP ? "+gzip" : "", writer.describe());
    }

    private ObjectWriter writer(StoreConfiguration c) {
        return switch (c.write()) {
            case S3 -> new EndpointWriter(getCamelContext(), c.s3(), context.clock());
            case ENDPOINT -> new EndpointWriter(getCamelContext(), c.writeUri(), "endpoint " + c.writeUri()
                    .replaceAll("\\?.*", ""));
            case STDOUT -> new StdoutWriter(System.out);
            case FILE -> new FileObjectWriter(c.directory().isBlank() ? context.dataDir().resolve("objects")
                    : Path.of(c.directory()));
        };
    }

    private void check() {
        try {
            Store s = store;
            if (s != null) {
                s.check();
            }
        } catch (RuntimeException e) {
            // The timer must survive anything one check throws.
            log.error("store {}: check failed", configuration.name(), e);
        }
    }

    @Override
    protected void doStop() throws Exception {
        ScheduledExecutorService t = timer;
        timer = null;
        if (t != null) {
            getCamelContext().getExecutorServiceManager().shutdownGraceful(t, configuration.stopTimeout().toMillis());
        }
        flushForStop();
        ObjectWriter w = writer;
        writer = null;
        if (w != null) {
            w.close();
        }
        super.doStop();
    }

    /** Writes everything held, retrying for up to stopTimeout. */
    void flushForStop() throws InterruptedException {
        Store s = store;
        if (s == null || s.buffered() == 0) {
            return;
        }
        long now = System.nanoTime();
        if (stopDeadline == 0) {
            stopDeadline = now + configuration.stopTimeout().toNanos();
        }
        log.info("store {}: writing the {} flows still held before stopping", configuration.name(), s.buffered());
        s.flushAll(java.time.Duration.ofNanos(Math.max(0, stopDeadline - now)));
    }

    void accept(FlowBatch batch) throws Exception {
        Store s = store;
        if (s == null) {
            throw new IllegalStateException("store " + configuration.name() + " is not started");
        }
        stopDeadline = 0;
        Map<String, List<ObjectNode>> byTag = new LinkedHashMap<>();
        long invalid = 0;
        for (FlowRecord r : batch.records()) {
            ObjectNode record = recordOf(r);
            if (record == null) {
                invalid++;
                continue;
            }
            byTag.computeIfAbsent(tagOf(r), k -> new ArrayList<>()).add(record);
        }
        if (invalid > 0) {
            metrics.invalid.increment(invalid);
            if (invalidLog.allow()) {
                log.warn("store {}: {} records of a batch from {} have no {} attribute and no Skydive flow (ObjectNode)"
                        + " to write; counted in caravan.skydive.store.invalid", configuration.name(), invalid,
                        batch.origin(), StoreConstants.RECORD);
            }
        }
        if (!byTag.isEmpty() && s.accept(byTag)) {
            ScheduledExecutorService t = timer;
            if (t != null) {
                try {
                    t.execute(this::check);
                } catch (RejectedExecutionException e) {
                    // Stopping: the stop flush writes it.
                }
            }
        }
    }

    static ObjectNode recordOf(FlowRecord r) {
        if (r.attribute(StoreConstants.RECORD) instanceof ObjectNode o) {
            return o;
        }
        return r.source() instanceof ObjectNode o ? o : null;
    }

    static String tagOf(FlowRecord r) {
        Object tag = r.attribute(StoreConstants.TAG);
        if (tag == null || tag.toString().isEmpty()) {
            return StoreConstants.UNTAGGED;
        }
        // A tag is one key segment: nothing that could add a level or climb out of the prefix.
        String t = tag.toString().replaceAll("[^A-Za-z0-9._-]", "-");
        return t.equals(".") || t.equals("..") ? "-" : t;
    }

    public StoreConfiguration getConfiguration() {
        return configuration;
    }

    /** Flows held now. */
    public long getBuffered() {
        Store s = store;
        return s == null ? 0 : s.buffered();
    }

    /** Per tag: flows held, stream, next sequence, last flush, retry state; JSON-friendly. */
    @Override
    public Map<String, Object> status() {
        Store s = store;
        return s == null ? Map.of() : s.status();
    }

    /** Why the store is working below par (writes failing), or empty. */
    @Override
    public Optional<String> degraded() {
        return store instanceof BufferedStore b ? Optional.ofNullable(b.failing()) : Optional.empty();
    }

}
