package io.caravan.netflow.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.netflow.session.TemplateStore.PutResult;
import io.caravan.netflow.wire.FieldSpecifier;
import io.caravan.netflow.wire.TemplateRecord;
import io.caravan.testkit.SettableClock;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryTemplateStoreTest {
    private final SettableClock clock = new SettableClock(1_000_000);
    private final ExporterKey a = new ExporterKey(address("192.0.2.1"), -1);
    private final ExporterKey b = new ExporterKey(address("192.0.2.2"), -1);

    @Test
    void putReportsAddedUpdatedUnchanged() {
        TemplateStore s = new InMemoryTemplateStore(clock, 0, 10, 100);
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
    void theExporterCapEvictsItsLeastRecentlyAnnouncedTemplate() {
        TemplateStore s = new InMemoryTemplateStore(clock, 0, 2, 100);
        s.put(a, 0, template(256, 1));
        s.put(a, 0, template(257, 1));
        s.put(a, 0, template(256, 1)); // refreshes 256: 257 is now the oldest
        assertThat(s.put(a, 0, template(258, 1))).isEqualTo(PutResult.ADDED);
        assertThat(s.get(a, 9, 0, 257)).isNull();
        assertThat(s.get(a, 9, 0, 256)).isNotNull();
        assertThat(s.size()).isEqualTo(2);
    }

    @Test
    void theTotalCapRefusesNewTemplatesWithoutTouchingOtherExporters() {
        TemplateStore s = new InMemoryTemplateStore(clock, 0, 10, 2);
        s.put(a, 0, template(256, 1));
        s.put(a, 0, template(257, 1));
        assertThat(s.put(b, 0, template(256, 1))).isEqualTo(PutResult.REJECTED);
        assertThat(s.put(a, 0, template(256, 3))).as("redefinitions still pass").isEqualTo(PutResult.UPDATED);
        assertThat(s.size()).isEqualTo(2);
    }

    @Test
    void unrefreshedTemplatesExpireAndZeroTimeoutNever() {
        TemplateStore s = new InMemoryTemplateStore(clock, 1000, 10, 100);
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

        TemplateStore forever = new InMemoryTemplateStore(clock, 0, 10, 100);
        forever.put(a, 0, template(256, 1));
        clock.advance(365L * 24 * 3600 * 1000);
        assertThat(forever.expire()).isZero();
        assertThat(forever.get(a, 9, 0, 256)).isNotNull();
    }

    @Test
    void withdrawalsByIdAndByKind() {
        TemplateStore s = new InMemoryTemplateStore(clock, 0, 10, 100);
        s.put(a, 0, ipfix(256, TemplateRecord.Kind.TEMPLATE));
        s.put(a, 0, ipfix(257, TemplateRecord.Kind.TEMPLATE));
        s.put(a, 0, ipfix(258, TemplateRecord.Kind.OPTIONS));
        assertThat(s.withdraw(a, 10, 0, 258, TemplateRecord.Kind.TEMPLATE)).as("kind must match").isFalse();
        assertThat(s.withdraw(a, 10, 0, 256, TemplateRecord.Kind.TEMPLATE)).isTrue();
        assertThat(s.withdrawAll(a, 10, 0, TemplateRecord.Kind.TEMPLATE)).isEqualTo(1);
        assertThat(s.entries(a)).extracting(e -> e.key().templateId()).containsExactly(258);
        assertThat(s.size()).isEqualTo(1);
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
