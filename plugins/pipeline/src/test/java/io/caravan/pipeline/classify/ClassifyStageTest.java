package io.caravan.pipeline.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.Stage;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClassifyStageTest {
    private final ClassifyStageProvider provider = new ClassifyStageProvider();
    private final RecordingStageContext context = RecordingStageContext.of("classify", new SettableClock(0));

    @ParameterizedTest(name = "{0} -> {1} is {2}")
    @CsvSource(nullValues = "-", value = {
            "10.1.2.3,        192.168.1.1,     internal",
            "10.1.2.3,        8.8.8.8,         egress",
            "8.8.8.8,         172.16.0.1,      ingress",
            "8.8.8.8,         1.1.1.1,         other",
            "172.31.255.255,  172.16.0.0,      internal",
            "172.32.0.1,      172.15.255.255,  other",
            "fd00::1,         fc00::2,         internal",
            "fdff:ffff::1,    2001:db8::1,     egress",
            "2001:db8::1,     fc12::1,         ingress",
            "2001:db8::1,     fe80::1,         other",
            "10.0.0.1,        2001:db8::1,     egress",
            "2001:db8::1,     10.0.0.1,        ingress",
            "-,               10.0.0.1,        other",
            "10.0.0.1,        -,               other",
            "fd00::1,         -,               other",
            "-,               -,               other",
    })
    void classifiesByTheDefaultSiteNetworks(String src, String dst, String expected) throws Exception {
        FlowRecord r = record(src, dst);

        stage(Map.of()).apply(FlowBatch.of(Origin.UNKNOWN, r));

        assertThat(r.attributes()).containsExactly(Map.entry("tag", expected));
    }

    @Test
    void writesTheConfiguredAttributeAgainstTheConfiguredNetworks() throws Exception {
        FlowRecord out = record("198.51.100.7", "10.0.0.1").attribute("tag", "kept");
        FlowRecord in = record("2001:db8:ffff::1", "2001:db8:1::9");

        stage(Map.of("internal", "198.51.100.0/24, 2001:db8:1::/48", "attribute", "zone"))
                .apply(FlowBatch.of(Origin.UNKNOWN, out, in));

        assertThat(out.attributes()).containsOnly(Map.entry("zone", "egress"), Map.entry("tag", "kept"));
        assertThat(in.attributes()).containsOnly(Map.entry("zone", "ingress"));
    }

    @Test
    void returnsTheBatchItWasGivenAndOverwritesAnEarlierClass() throws Exception {
        FlowRecord r = record("192.168.0.1", "192.168.0.2").attribute("tag", "stale");
        FlowBatch batch = FlowBatch.of(Origin.UNKNOWN, r);

        FlowBatch result = stage(Map.of()).apply(batch);

        assertThat(result).isSameAs(batch);
        assertThat(result.records()).containsExactly(r);
        assertThat(r.attribute("tag")).isEqualTo("internal");
    }

    @Test
    void anEmptyNetworkListMakesEverythingOther() throws Exception {
        FlowRecord r = record("10.0.0.1", "10.0.0.2");

        stage(Map.of("internal", "")).apply(FlowBatch.of(Origin.UNKNOWN, r));

        assertThat(r.attribute("tag")).isEqualTo("other");
    }

    @Test
    void aMalformedPrefixIsRejectedBeforeTheStageExists() {
        assertThatThrownBy(() -> stage(Map.of("internal", "10.0.0.0/33")))
                .isInstanceOf(OptionException.class)
                .hasMessageContaining("stage 'classify'")
                .hasMessageContaining("'internal'");
    }

    private Stage<FlowBatch, FlowBatch> stage(Map<String, ?> options) throws OptionException {
        return context.create(provider, options);
    }

    static FlowRecord record(String src, String dst) throws Exception {
        return new FlowRecord().srcAddr(address(src)).dstAddr(address(dst));
    }

    private static byte[] address(String text) throws Exception {
        return text == null ? null : InetAddress.getByName(text).getAddress();
    }
}
