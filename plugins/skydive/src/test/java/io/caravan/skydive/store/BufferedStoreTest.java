package io.caravan.skydive.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.skydive.account.Account;
import io.caravan.skydive.write.StoredObject;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The buffered store's rules, driven by a settable clock and direct calls to check (no timer, no sleeps). */
class BufferedStoreTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** 2023-11-14T22:13:20Z. */
    private final SettableClock clock = new SettableClock(1_700_000_000_000L);
    private final RecordingStageContext context = RecordingStageContext.of("skydive-store", clock);
    private final MemoryWriter writer = new MemoryWriter();

    private BufferedStore store(String... options) throws Exception {
        Map<String, Object> raw = new HashMap<>(Map.of("bucket", "bucket", "write", "stdout"));
        for (int i = 0; i < options.length; i += 2) {
            raw.put(options[i], options[i + 1]);
        }
        StoreConfiguration c = StoreConfiguration.of("s", raw);
        StoreMetrics metrics = new StoreMetrics(context, "s");
        ObjectMaker maker = new ObjectMaker(c.bucket(), c.prefix(), c.header().create(c.headerFields()),
                c.encode().create(c.pretty()), c.compress().create());
        Account account = new Account(null, c.accountPeriod(), clock, LoggerFactory.getLogger("t"), metrics.bytes,
                metrics.objects);
        return new BufferedStore(c, maker, writer, account, metrics, clock, LoggerFactory.getLogger("t"));
    }

    private static Map<String, List<ObjectNode>> flows(String tag, int from, int n) {
        List<ObjectNode> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(Flows.secadvisor(tag + "-" + (from + i), i));
        }
        return Map.of(tag, list);
    }

    private static List<String> uuids(StoredObject o) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode r : MAPPER.readTree(o.data())) {
            out.add(r.get("UUID").asText());
        }
        return out;
    }

    private long counter(String name) {
        return context.sum(name);
    }

    @Test
    void aTagFlushesWhenItHoldsMaxFlowsPerObjectAndNoObjectHoldsMore() throws Exception {
        BufferedStore s = store("maxFlowsPerObject", "3");

        assertThat(s.accept(flows("egress", 0, 2))).isFalse();
        s.check();
        assertThat(writer.written).isEmpty();

        assertThat(s.accept(flows("egress", 2, 5))).isTrue();
        s.check();

        assertThat(writer.written).hasSize(2);
        assertThat(uuids(writer.written.get(0))).containsExactly("egress-0", "egress-1", "egress-2");
        assertThat(uuids(writer.written.get(1))).containsExactly("egress-3", "egress-4", "egress-5");
        assertThat(s.buffered()).isEqualTo(1);
        assertThat(counter("caravan.skydive.store.flows")).isEqualTo(6);
        assertThat(counter("caravan.skydive.store.objects")).isEqualTo(2);
    }

    @Test
    void aTagFlushesMaxSecondsPerObjectAfterItsLastFlushWithoutNewFlows() throws Exception {
        BufferedStore s = store("maxSecondsPerObject", "60s");
        s.accept(flows("ingress", 0, 2));

        clock.advance(59_999);
        s.check();
        assertThat(writer.written).isEmpty();

        clock.advance(1);
        s.check();
        assertThat(writer.written).singleElement().satisfies(o -> {
            assertThat(o.metadata()).containsEntry("first-timestamp", "1700000000000")
                    .containsEntry("last-timestamp", "1700000060000").containsEntry("num-records", "2");
            assertThat(o.key()).isEqualTo("logs/ingress/20231114T221420Z/00000000.json");
        });
    }

    @Test
    void keysCountObjectsWithinAStreamAndANewStreamStartsAtZero() throws Exception {
        BufferedStore s = store("maxFlowsPerObject", "1", "maxSecondsPerStream", "3600s", "compress", "gzip",
                "encode", "secadvisor");

        s.accept(flows("egress", 0, 2));
        s.check();
        clock.advance(3_599_000);
        s.accept(flows("egress", 2, 1));
        s.accept(flows("internal", 0, 1));
        s.check();
        clock.advance(1_000);
        s.accept(flows("egress", 3, 1));
        s.check();

        assertThat(writer.written).extracting(StoredObject::key).containsExactly(
                "logs/egress/20231114T221320Z/00000000.json.gz",
                "logs/egress/20231114T221320Z/00000001.json.gz",
                "logs/egress/20231114T221320Z/00000002.json.gz",
                "logs/internal/20231114T231319Z/00000000.json.gz",
                "logs/egress/20231114T231320Z/00000000.json.gz");
        assertThat(writer.written).allSatisfy(o -> {
            assertThat(o.contentType()).isEqualTo("application/json");
            assertThat(o.contentEncoding()).isEqualTo("gzip");
            assertThat(o.bucket()).isEqualTo("bucket");
        });
    }

    @Test
    void pastMaxFlowArraySizeTheOldestAreDroppedAndCounted() throws Exception {
        BufferedStore s = store("maxFlowArraySize", "5", "header", "vpclogs");

        s.accept(flows("egress", 0, 4));
        s.accept(flows("egress", 4, 4));
        assertThat(s.buffered()).isEqualTo(5);
        assertThat(context.counter("caravan.skydive.store.dropped", Map.of("store", "s", "reason", "full")))
                .contains(3L);

        s.flushAll(Duration.ofSeconds(1));
        JsonNode object = MAPPER.readTree(writer.written.get(0).data());
        List<String> kept = new ArrayList<>();
        object.get("flow_logs").forEach(r -> kept.add(r.get("UUID").asText()));
        assertThat(kept).containsExactly("egress-3", "egress-4", "egress-5", "egress-6", "egress-7");
        assertThat(object.get("state").asText()).isEqualTo("skip data");
    }

    @Test
    void aFailedWriteKeepsTheFlowsAndRetriesTheSameKeyAfterABackoffThatGrows() throws Exception {
        BufferedStore s = store("maxFlowsPerObject", "2", "retryInitial", "1s", "retryMax", "4s");
        writer.failing = true;

        s.accept(flows("egress", 0, 2));
        s.check();
        assertThat(writer.attempts).hasValue(1);
        s.check();
        s.check();
        assertThat(writer.attempts).as("no retry before the backoff has passed").hasValue(1);
        assertThat(s.failing()).contains("egress").contains("object store down");

        clock.advance(1_000);
        s.check();
        assertThat(writer.attempts).hasValue(2);
        clock.advance(1_999);
        s.check();
        assertThat(writer.attempts).as("the second wait is 2 s").hasValue(2);
        clock.advance(1);
        s.check();
        assertThat(writer.attempts).hasValue(3);

        writer.failing = false;
        s.accept(flows("egress", 2, 1));
        clock.advance(4_000);
        s.check();

        assertThat(writer.written).hasSize(1);
        assertThat(uuids(writer.written.get(0))).containsExactly("egress-0", "egress-1");
        assertThat(writer.attemptedKeys).containsOnly("logs/egress/20231114T221320Z/00000000.json");
        assertThat(s.buffered()).isEqualTo(1);
        assertThat(s.failing()).isNull();
        assertThat(counter("caravan.skydive.store.write.failures")).isEqualTo(3);
        assertThat(counter("caravan.skydive.store.write.retries")).isEqualTo(3);
    }

    @Test
    void flushAllWritesEverythingWhateverTheTimeRules() throws Exception {
        BufferedStore s = store("maxFlowsPerObject", "4");
        s.accept(flows("egress", 0, 6));
        s.accept(flows("ingress", 0, 1));

        assertThat(s.flushAll(Duration.ofSeconds(5))).isZero();

        assertThat(writer.written).extracting(StoredObject::records).containsExactly(4, 2, 1);
        assertThat(s.buffered()).isZero();
    }

    @Test
    void flushAllGivesUpAtTheTimeoutAndReportsWhatIsLost() throws Exception {
        BufferedStore s = store("retryInitial", "10ms", "retryMax", "20ms");
        writer.failing = true;
        s.accept(flows("egress", 0, 3));

        assertThat(s.flushAll(Duration.ofMillis(1500))).isEqualTo(3);
        assertThat(writer.attempts.get()).isGreaterThan(1);
    }
}
