package io.caravan.pipeline.flowfile;

import io.caravan.pipeline.encoding.BatchEncoder;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;

/**
 * One output directory. Write-only: every producer of the endpoint appends to the same current
 * file, one whole body at a time, through the writer's buffer. Started, it runs one small scheduled
 * check that closes the current file once it is {@code rotateSeconds} old and writes buffered
 * bodies once they are {@code flushMillis} old, also when nothing more arrives; stopped, it ends
 * that check, writes what is buffered and closes and renames the current file, so nothing accepted
 * is left in memory or in an in-progress file after a clean shutdown.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = FlowFileConstants.SCHEME, title = "Flow file",
        syntax = "flowfile:directory", producerOnly = true, category = {Category.FILE})
public final class FlowFileEndpoint extends DefaultEndpoint {
    private static final long MAX_CHECK_MS = 1_000;
    private static final long MIN_CHECK_MS = 50;

    private final FlowFileConfiguration configuration;
    private final FlowFileWriter writer;
    /** Encodes FlowBatch bodies, or null when bodies come as bytes. */
    private final BatchEncoder encoder;
    private ScheduledExecutorService rotation;

    FlowFileEndpoint(String uri, FlowFileComponent component, FlowFileConfiguration configuration,
                     FlowFileWriter writer) {
        super(uri, component);
        this.configuration = configuration;
        this.writer = writer;
        this.encoder = configuration.encoder();
    }

    @Override
    public Producer createProducer() {
        return new FlowFileProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(FlowFileConstants.SCHEME + ": is write-only; use "
                + getEndpointUri() + " as a 'to' step, not as a route's 'from'");
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        writer.start();
        long period = checkPeriodMillis(configuration);
        rotation = getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "FlowFileRotation");
        rotation.scheduleWithFixedDelay(writer::checkDue, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * How often the scheduled check runs: a quarter of {@code rotateSeconds} (50 ms to 1 s), and with
     * a buffer at most a quarter of {@code flushMillis} (at least 1 ms), so a file closes at most a
     * second late and a buffered body waits at most about 1.25 times {@code flushMillis}.
     */
    static long checkPeriodMillis(FlowFileConfiguration c) {
        long rotation = Math.max(MIN_CHECK_MS, Math.min(MAX_CHECK_MS, c.rotateSeconds() * 1000L / 4));
        return c.bufferSize() == 0 ? rotation : Math.min(rotation, Math.max(1, c.flushMillis() / 4));
    }

    @Override
    protected void doStop() throws Exception {
        ScheduledExecutorService r = rotation;
        rotation = null;
        if (r != null) {
            // Graceful, never an interrupt: an interrupted thread closes the FileChannel it writes to.
            getCamelContext().getExecutorServiceManager().shutdownGraceful(r, 10_000);
        }
        writer.stop();
        super.doStop();
    }

    public FlowFileConfiguration getConfiguration() {
        return configuration;
    }

    /** The directory written to, absolute. */
    public Path getDirectory() {
        return writer.directory();
    }

    /**
     * Bytes written to files since the endpoint was created, as on disk (compressed when compression
     * is on); bodies still in the buffer count once they are written.
     */
    public long getBytesWritten() {
        return writer.bytesWritten();
    }

    /** Files closed and renamed to their final name since the endpoint was created. */
    public long getFilesClosed() {
        return writer.filesClosed();
    }

    /** Failed attempts to open a file or write to it since the endpoint was created. */
    public long getWriteErrors() {
        return writer.writeErrors();
    }

    FlowFileWriter writer() {
        return writer;
    }

    BatchEncoder encoder() {
        return encoder;
    }
}
