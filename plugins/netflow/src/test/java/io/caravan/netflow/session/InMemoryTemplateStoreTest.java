package io.caravan.netflow.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.netflow.map.CompiledTemplate;
import io.caravan.netflow.session.TemplateStore.PutResult;
import io.caravan.netflow.wire.FieldSpecifier;
import io.caravan.netflow.wire.TemplateRecord;
import io.caravan.testkit.SettableClock;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryTemplateStoreTest {
    private final SettableClock clock = new SettableClock(1_000_000);
    private final ExporterKey a = new ExporterKey(address("192.0.2.1"), -1);
    private final ExporterKey b = new ExporterKey(address("192.0.2.2"), -1);
    /** Estimated bytes of a one-field template. */
    private static final long ONE = CompiledTemplate.estimateBytes(
            new TemplateRecord(9, 256, TemplateRecord.Kind.TEMPLATE, 0, List.of(new FieldSpecifier(1, 4, 0))));
    private final List<Integer> evicted = new ArrayList<>();

    @Test
    void putReportsAddedUpdatedUnchanged() {
        TemplateStore s = store(0, 10);
        assertThat(s.put(a, 0, template(256, 1))).isEqualTo(PutResult.ADDED);
        assertThat(s.put(a, 0, template(256, 1))).isEqualTo(PutResult.UNCHANGED);
        assertThat(s.put(a, 0, template(256, 2))).isEqualTo(PutResult.UPDATED);
        assertThat(s.get(a, 9, 0, 256).template().fields()).extracting(FieldSpecifier::id).containsExactly(2);
        assertThat(s.put(a, 1, template(256, 1))).as("another domain").isEqualTo(PutResult.ADDED);
        assertThat(s.put(b, 0, template(256, 1))).as("another exporter").isEqualTo(PutResult.ADDED);
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.size(a)).isEqualTo(2);
    }

    @Test
    void aLookupAtAGivenTimeExpiresByThatTimeNotTheClock() {
        TemplateStore s = store(1000, 10);
        long put = clock.millis();
        s.put(a, 0, template(256, 1));
        assertThat(s.get(a, 9, 0, 256, put + 1000)).as("at the timeout exactly").isNotNull();
        assertThat(s.get(a, 9, 0, 256, put + 500)).as("an earlier batch time, from another thread").isNotNull();
        assertThat(s.get(a, 9, 0, 256, put + 1001)).as("past it, though the clock has not moved").isNull();
        assertThat(s.size()).as("the expired template is removed").isZero();
        assertThat(s.get(a, 9, 0, 256)).isNull();
    }

    @Test
    void theExporterBudgetEvictsItsLeastRecentlyAnnouncedTemplate() {
        TemplateStore s = store(0, 2);
        s.put(a, 0, template(256, 1));
        s.put(a, 0, template(257, 1));
        s.put(a, 0, template(256, 1)); // refreshes 256: 257 is now the oldest
        assertThat(s.put(a, 0, template(258, 1))).isEqualTo(PutResult.ADDED);
        assertThat(s.get(a, 9, 0, 257)).isNull();
        assertThat(s.get(a, 9, 0, 256)).isNotNull();
        assertThat(s.size()).isEqualTo(2);
    }

    @Test
    void aFullTotalBudgetRefusesNewTemplatesWhileEveryExporterIsActive() {
        TemplateStore s = new InMemoryTemplateStore(clock, 0, new TemplateBudget(512, 10 * ONE, 2 * ONE), evicted::add);
        s.put(a, 0, template(256, 1));
        s.put(a, 0, template(257, 1));
        assertThat(s.put(b, 0, template(256, 1))).isEqualTo(PutResult.REJECTED);
        assertThat(s.put(a, 0, template(256, 3))).as("same-size redefinitions still pass").isEqualTo(PutResult.UPDATED);
        assertThat(s.size()).isEqualTo(2);
        assertThat(s.bytes()).isEqualTo(2 * ONE);
        assertThat(s.refusals()).isEqualTo(1);
        assertThat(s.lastPressureMs()).isEqualTo(clock.millis());
        assertThat(evicted).isEmpty();
    }

    @Test
    void aFullTotalBudgetEvictsTheLeastRecentlyUsedTemplatesOfIdleExportersFirst() {
        ExporterKey c = new ExporterKey(address("192.0.2.3"), -1);
        ExporterKey d = new ExporterKey(address("192.0.2.4"), -1);
        // Room for 32 one-field templates; a sixteenth (2) is kept free after an eviction.
        TemplateStore s = new InMemoryTemplateStore(clock, 0, new TemplateBudget(512, 32 * ONE, 32 * ONE),
                evicted::add);
        for (int i = 0; i < 10; i++) {
            s.put(a, 0, template(256 + i, 1));
        }
        clock.advance(1_000);
        for (int i = 0; i < 10; i++) {
            s.put(b, 0, template(256 + i, 1));
        }
        clock.advance(1_000);
        s.get(a, 9, 0, 256);                       // a's 256 is now used more recently than all of b's
        for (int i = 0; i < 12; i++) {
            s.put(c, 0, template(256 + i, 1));     // full: 32 templates
        }
        clock.advance(InMemoryTemplateStore.IDLE_MS);   // a, b and c are idle now
        for (int i = 0; i < 100; i++) {
            s.put(d, 0, template(256 + i, 1));      // d keeps sending; d's own use keeps it active
            s.get(d, 9, 0, 256);
        }
        assertThat(s.size(a) + s.size(b) + s.size(c)).as("idle exporters made room").isZero();
        assertThat(s.size(d)).isEqualTo(32);
        assertThat(s.bytes()).isEqualTo(32 * ONE);
        assertThat(s.entries(d)).extracting(e -> e.key().templateId()).contains(355);
        assertThat(s.refusals()).isZero();
        // 32 idle templates, then d's own least recently announced ones within its share.
        assertThat(evicted).hasSize(100);
        assertThat(s.evictions()).isEqualTo(100);
    }

    @Test
    void evictionOrderIsLeastRecentlyUsedAcrossIdleExporters() {
        TemplateStore s = new InMemoryTemplateStore(clock, 0, new TemplateBudget(512, 16 * ONE, 16 * ONE),
                evicted::add);
        for (int i = 0; i < 8; i++) {
            s.put(a, 0, template(256 + i, 1));
            clock.advance(10);
            s.put(b, 0, template(256 + i, 1));
            clock.advance(10);
        }
        s.get(a, 9, 0, 256);                       // a's 256 used last: evicted last
        clock.advance(InMemoryTemplateStore.IDLE_MS);
        ExporterKey c = new ExporterKey(address("192.0.2.3"), -1);
        assertThat(s.put(c, 0, template(256, 1))).isEqualTo(PutResult.ADDED);
        // One needed, plus a sixteenth of the budget (1) kept free: the two least recently used go, b's 256 (used at
        // 10 ms) and a's 257 (20 ms); a's 256, used last, stays.
        assertThat(evicted).containsExactly(9, 9);
        assertThat(s.entries(a)).extracting(e -> e.key().templateId()).contains(256).doesNotContain(257);
        assertThat(s.entries(b)).extracting(e -> e.key().templateId()).contains(257).doesNotContain(256);
        assertThat(s.size()).isEqualTo(15);
    }

    @Test
    void concurrentFloodsNeverPassTheTotalBudget() throws Exception {
        long total = 64 * ONE;
        TemplateStore s = new InMemoryTemplateStore(clock, 0, new TemplateBudget(512, 8 * ONE, total),
                version -> { });
        java.util.concurrent.atomic.AtomicLong over = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 5_000; i++) {
                    ExporterKey k = new ExporterKey(address("10.0." + thread + "." + (i % 50)), -1);
                    s.put(k, 0, template(256 + i % 20, 1 + i % 3));
                    s.get(k, 9, 0, 256);
                    if (s.bytes() > total) {
                        over.incrementAndGet();
                    }
                    if (i % 1000 == 0) {
                        clock.advance(InMemoryTemplateStore.IDLE_MS);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(over).hasValue(0);
        assertThat(s.bytes()).isLessThanOrEqualTo(total).isEqualTo(s.entries().stream()
                .mapToLong(e -> e.template().bytes()).sum());
        assertThat(s.size()).isEqualTo(s.entries().size());
    }

    @Test
    void aTemplateWithMoreFieldsThanTheLimitIsRefusedAndForgetsTheOldDefinition() {
        TemplateStore s = new InMemoryTemplateStore(clock, 0, new TemplateBudget(512, 1 << 20, 1 << 20),
                evicted::add);
        s.put(a, 0, template(256, 1));
        List<FieldSpecifier> fields = new ArrayList<>();
        for (int i = 0; i < 513; i++) {
            fields.add(new FieldSpecifier(1, 4, 0));
        }
        assertThat(s.put(a, 0, new TemplateRecord(9, 256, TemplateRecord.Kind.TEMPLATE, 0, fields)))
                .isEqualTo(PutResult.TOO_LARGE);
        assertThat(s.get(a, 9, 0, 256)).isNull();
        assertThat(s.size()).isZero();
        assertThat(s.bytes()).isZero();
    }

    @Test
    void bytesAreCountedPerVersionAndExporter() {
        TemplateStore s = store(0, 10);
        s.put(a, 0, template(256, 1));
        s.put(b, 0, ipfix(256, TemplateRecord.Kind.TEMPLATE));
        assertThat(s.bytes(9)).isEqualTo(ONE);
        assertThat(s.bytes(10)).isEqualTo(ONE);
        assertThat(s.bytesOf(a)).isEqualTo(ONE);
        assertThat(s.bytes()).isEqualTo(2 * ONE);
        s.withdrawAll(b, 10, 0, TemplateRecord.Kind.TEMPLATE);
        assertThat(s.bytes(10)).isZero();
        assertThat(s.bytes()).isEqualTo(ONE);
    }

    @Test
    void unrefreshedTemplatesExpireAndZeroTimeoutNever() {
        TemplateStore s = store(1000, 10);
        s.put(a, 0, template(256, 1));
        s.put(a, 0, template(257, 1));
        clock.advance(800);
        s.put(a, 0, template(257, 1));
        clock.advance(800);
        assertThat(s.get(a, 9, 0, 256)).isNull();
        assertThat(s.get(a, 9, 0, 257)).isNotNull();
        clock.advance(800);
        assertThat(s.expire()).isEqualTo(1);
        assertThat(s.size()).isZero();
        assertThat(s.put(a, 0, template(256, 1))).as("usable again after the exporter was emptied")
                .isEqualTo(PutResult.ADDED);

        TemplateStore forever = store(0, 10);
        forever.put(a, 0, template(256, 1));
        clock.advance(365L * 24 * 3600 * 1000);
        assertThat(forever.expire()).isZero();
        assertThat(forever.get(a, 9, 0, 256)).isNotNull();
    }

    @Test
    void withdrawalsByIdAndByKind() {
        TemplateStore s = store(0, 10);
        s.put(a, 0, ipfix(256, TemplateRecord.Kind.TEMPLATE));
        s.put(a, 0, ipfix(257, TemplateRecord.Kind.TEMPLATE));
        s.put(a, 0, ipfix(258, TemplateRecord.Kind.OPTIONS));
        assertThat(s.withdraw(a, 10, 0, 258, TemplateRecord.Kind.TEMPLATE)).as("kind must match").isFalse();
        assertThat(s.withdraw(a, 10, 0, 256, TemplateRecord.Kind.TEMPLATE)).isTrue();
        assertThat(s.withdrawAll(a, 10, 0, TemplateRecord.Kind.TEMPLATE)).isEqualTo(1);
        assertThat(s.entries(a)).extracting(e -> e.key().templateId()).containsExactly(258);
        assertThat(s.size()).isEqualTo(1);
    }

    /** A store whose exporters hold {@code perExporter} one-field templates each, 100 in all. */
    private TemplateStore store(long timeoutMs, int perExporter) {
        return new InMemoryTemplateStore(clock, timeoutMs, new TemplateBudget(512, perExporter * ONE, 100 * ONE),
                evicted::add);
    }

    private static TemplateRecord template(int id, int field) {
        return new TemplateRecord(9, id, TemplateRecord.Kind.TEMPLATE, 0, List.of(new FieldSpecifier(field, 4, 0)));
    }

    private static TemplateRecord ipfix(int id, TemplateRecord.Kind kind) {
        return new TemplateRecord(10, id, kind, kind == TemplateRecord.Kind.OPTIONS ? 1 : 0,
                List.of(new FieldSpecifier(1, 4, 0)));
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
