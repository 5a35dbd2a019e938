package io.caravan.postgres;

import io.caravan.api.plugin.PluginContext;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * One table. Write-only. Started, it opens the pool (lazily: the database may be away) and runs one
 * small scheduled task that sends batches that waited long enough and retries the spool; stopped,
 * it sends or spools what is buffered before closing the pool.
 */
public final class PostgresEndpoint extends DefaultEndpoint {
    private static final long TICK_MS = 50;

    private final PostgresConfiguration configuration;
    private final PluginContext context;
    private FlowDatabase db;
    private BatchWriter writer;
    private ScheduledExecutorService ticker;

    PostgresEndpoint(String uri, PostgresComponent component, PostgresConfiguration configuration, PluginContext context) {
        super(uri, component);
        this.configuration = configuration;
        this.context = context;
    }

    @Override
    public Producer createProducer() {
        return new PostgresProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(PostgresConfiguration.SCHEME + ": is write-only; use it as a 'to' step");
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        FlowTable table = new FlowTable(configuration.table());
        db = new FlowDatabase(configuration, table);
        // One spool per table, kept across restarts: rows accepted before a stop are sent after the next start.
        Spool spool = new Spool(context.dataDir().resolve("spool").resolve(table.name()), configuration.spoolBytes());
        writer = new BatchWriter(configuration, db, spool, context);
        ticker = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "PostgresFlush");
        ticker.scheduleWithFixedDelay(writer::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        ScheduledExecutorService t = ticker;
        ticker = null;
        if (t != null) {
            getCamelContext().getExecutorServiceManager().shutdownGraceful(t, 30_000);
        }
        if (writer != null) {
            writer.stop();
        }
        if (db != null) {
            db.close();
        }
        super.doStop();
    }

    public PostgresConfiguration getConfiguration() {
        return configuration;
    }

    BatchWriter writer() {
        return writer;
    }

    /** Where this table's spool lives. */
    Path spoolDir() {
        return context.dataDir().resolve("spool").resolve(configuration.table());
    }
}
