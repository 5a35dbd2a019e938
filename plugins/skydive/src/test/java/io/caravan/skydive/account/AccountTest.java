package io.caravan.skydive.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class AccountTest {
    /** 2023-11-14T22:13:20Z. */
    private final SettableClock clock = new SettableClock(1_700_000_000_000L);
    private final RecordingStageContext context = RecordingStageContext.of("skydive-store", clock);

    @TempDir
    Path dir;

    private Account account(Path file) {
        return new Account(file, Duration.ofDays(1), clock, LoggerFactory.getLogger("test"),
                context.counter("caravan.skydive.store.bytes", "store", "s"),
                context.counter("caravan.skydive.store.objects", "store", "s"));
    }

    @Test
    void theFileHasTheExportersShapeAndIsReplacedWhole() throws Exception {
        Path file = dir.resolve("account.json");
        Account a = account(file);

        a.add(100);
        clock.advance(1_000);
        a.add(50);

        JsonNode o = new ObjectMapper().readTree(file.toFile());
        assertThat(o.fieldNames()).toIterable().startsWith("version", "accumulate-start", "accumulate-end",
                "accumulate-bytes", "current-start", "current-end", "current-bytes");
        assertThat(o.get("accumulate-bytes").asLong()).isEqualTo(150);
        assertThat(o.get("current-bytes").asLong()).isEqualTo(150);
        assertThat(o.get("accumulate-objects").asLong()).isEqualTo(2);
        assertThat(o.get("accumulate-start").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(o.get("accumulate-end").asText()).isEqualTo("2023-11-14T22:13:21Z");
        assertThat(o.get("current-start").asText()).isEqualTo("2023-11-14T00:00:00Z");
        assertThat(o.get("current-end").asText()).isEqualTo("2023-11-15T00:00:00Z");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        assertThat(context.counter("caravan.skydive.store.bytes", Map.of("store", "s"))).contains(150L);
        assertThat(context.counter("caravan.skydive.store.objects", Map.of("store", "s"))).contains(2L);
    }

    @Test
    void aNewPeriodStartsFromZeroWhileTheTotalGoesOn() throws Exception {
        Path file = dir.resolve("account.json");
        Account a = account(file);
        a.add(100);

        clock.advance(Duration.ofDays(1).toMillis());
        assertThat(a.currentBytes()).isZero();
        a.add(7);

        JsonNode o = new ObjectMapper().readTree(file.toFile());
        assertThat(o.get("current-bytes").asLong()).isEqualTo(7);
        assertThat(o.get("current-objects").asLong()).isEqualTo(1);
        assertThat(o.get("accumulate-bytes").asLong()).isEqualTo(107);
        assertThat(o.get("current-start").asText()).isEqualTo("2023-11-15T00:00:00Z");
    }

    @Test
    void totalsSurviveARestart() {
        Path file = dir.resolve("sub/account.json");
        account(file).add(100);

        Account again = account(file);
        again.add(1);

        assertThat(again.accumulateBytes()).isEqualTo(101);
        assertThat(again.currentBytes()).isEqualTo(101);
    }

    @Test
    void withoutAFileOnlyTheMetersCount() {
        Account a = account(null);
        a.add(10);

        assertThat(a.currentBytes()).isEqualTo(10);
        assertThat(context.counter("caravan.skydive.store.bytes", Map.of("store", "s"))).contains(10L);
    }
}
