package io.caravan.vanflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.testkit.PluginContract;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import io.caravan.vanflow.event.VanFlowListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bean provider as PF4J and the runtime see it, and the config keys it reads. */
class BeanContractTest {
    @Test
    void theBeanProviderIsAStaticFreeExtension() throws Exception {
        // The index (both extensions of the plugin) is checked in source.PluginContractTest.
        PluginContract.assertStaticFreeExtensions(List.of(VanFlowBeanProvider.class));
    }

    @Test
    void itBindsOneStateThatTheIngestSideFeedsAndTheApiReads() {
        VanFlowBeanProvider p = new VanFlowBeanProvider();
        Map<String, Object> beans = p.beans(RecordingStageContext.of("vanflow", new SettableClock(0)));
        assertThat(beans.keySet()).containsExactlyInAnyOrderElementsOf(p.descriptions().keySet());
        assertThat(beans.get(BeanNames.STATE)).isInstanceOf(VanFlowListener.class);
        assertThat(beans.get(BeanNames.API)).isInstanceOf(org.apache.camel.Processor.class);
    }

    @Test
    void settingsParseDurationsAndRefuseNonsenseWithTheKeyName() {
        Map<String, String> keys = Map.of(VanFlowSettings.TTL, "90s", VanFlowSettings.MAX_RECORDS, "77");
        VanFlowSettings s = VanFlowSettings.read(keys::get, Duration.ofMinutes(15), 5);
        assertThat(s.ttl()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.maxRecords()).isEqualTo(77);
        assertThat(s.users()).isEmpty();
        assertThat(VanFlowSettings.duration("PT15M")).isEqualTo(Duration.ofMinutes(15));
        assertThat(VanFlowSettings.duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(VanFlowSettings.duration("600")).isEqualTo(Duration.ofMinutes(10));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VanFlowSettings.duration("soon"))
                .hasMessageContaining("caravan.vanflow.record.ttl");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VanFlowSettings.read(Map.of(VanFlowSettings.MAX_RECORDS, "x")::get,
                Duration.ofMinutes(15), 5)).hasMessageContaining("caravan.vanflow.max.records");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BasicAuth("alice"))
                .hasMessageContaining("user:password").hasMessageNotContaining("alice");
    }
}
