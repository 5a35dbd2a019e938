package io.caravan.netflow;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageException;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code decode-netflow} stage built as the runtime builds it, on a {@link RecordingStageContext} with a
 * {@link SettableClock}: decode calls by payload, and series looked up by name and exact tags.
 */
public final class StageUnderTest {
    public static final long NOW_MS = 1_700_000_000_000L;
    public static final InetSocketAddress EXPORTER = new InetSocketAddress("192.0.2.1", 2055);

    private final SettableClock clock = new SettableClock(NOW_MS);
    private final RecordingStageContext context = RecordingStageContext.of("decode-netflow", clock);
    private final Stage<DatagramBatch, FlowBatch> stage;

    private StageUnderTest(Map<String, ?> options) throws OptionException {
        this.stage = context.create(new DecodeNetflowStageProvider(), options);
    }

    public static StageUnderTest create(Map<String, ?> options) throws OptionException {
        return new StageUnderTest(options);
    }

    public static StageUnderTest create() throws OptionException {
        return create(Map.of());
    }

    public Stage<DatagramBatch, FlowBatch> stage() {
        return stage;
    }

    public RecordingStageContext context() {
        return context;
    }

    /** Decodes one datagram from {@link #EXPORTER}, received now. */
    public FlowBatch decode(byte[] payload) throws StageException {
        return decode(payload, EXPORTER);
    }

    public FlowBatch decode(byte[] payload, InetSocketAddress sender) throws StageException {
        return stage.apply(DatagramBatch.of(new Datagram(payload, sender, clock.millis())));
    }

    /** Decodes several datagrams as one batch. */
    public FlowBatch decode(Datagram... datagrams) throws StageException {
        return stage.apply(new DatagramBatch(List.of(datagrams)));
    }

    public void advance(long ms) {
        clock.advance(ms);
    }

    public long now() {
        return clock.millis();
    }

    /** The counter with exactly these tags (key, value, ...); fails, naming what exists, when there is none. */
    public long count(String name, String... tags) {
        Optional<Long> c = context.counter(name, tags(tags));
        if (c.isEmpty()) {
            throw new AssertionError("no series " + name + tags(tags) + "; series: " + context.counters().keySet());
        }
        return c.get();
    }

    /** Whether the stage created the counter with exactly these tags. */
    public boolean has(String name, String... tags) {
        return context.counter(name, tags(tags)).isPresent();
    }

    /** The gauge with exactly these tags, read now; fails when there is none. */
    public double gauge(String name, String... tags) {
        return context.gauge(name, tags(tags))
                .orElseThrow(() -> new AssertionError("no gauge " + name + tags(tags)));
    }

    private static Map<String, String> tags(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
