package io.caravan.netflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import io.caravan.testkit.PluginContract;
import org.junit.jupiter.api.Test;

/** The plugin as PF4J and the docs see it: indexed, static-free extensions whose options the README lists verbatim. */
class PluginContractTest {
    private static final List<Class<?>> EXTENSIONS = List.of(DecodeNetflowStageProvider.class);

    @Test
    void everyContributionIsIndexedForPf4j() throws Exception {
        PluginContract.assertIndexed(EXTENSIONS);
    }

    @Test
    void contributionsAreStaticFreeExtensionsWithAPublicNoArgConstructor() throws Exception {
        PluginContract.assertStaticFreeExtensions(EXTENSIONS);
    }

    @Test
    void theStageTakesDatagramsAndGivesFlowBatches() {
        DecodeNetflowStageProvider p = new DecodeNetflowStageProvider();
        assertThat(p.name()).isEqualTo("decode-netflow").matches("[a-z]+(-[a-z]+)*");
        assertThat(p.inputType()).isEqualTo(Datagram.class);
        assertThat(p.outputType()).isEqualTo(FlowBatch.class);
    }

    @Test
    void theReadmeListsTheStageAndItsMetrics() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        StageProvider<?, ?> stage = new DecodeNetflowStageProvider();
        assertThat(readme).contains("| `" + stage.name() + "` | `" + stage.inputType().getSimpleName() + "` → `"
                + stage.outputType().getSimpleName() + "` | " + stage.description() + " |");
        for (String metric : List.of("caravan_decoder_datagrams_total", "caravan_decoder_records_total",
                "caravan_decoder_bytes_total", "caravan_decoder_errors_total", "caravan_decoder_sequence_gaps_total",
                "caravan_templates")) {
            assertThat(readme).contains(metric);
        }
    }

    @Test
    void optionsAreCheckedBeforeTheStageStarts() {
        DecodeNetflowStageProvider p = new DecodeNetflowStageProvider();
        assertThatThrownBy(() -> create(p, Map.of("maxTemplates", "-1")))
                .isInstanceOf(OptionException.class).hasMessageContaining("'maxTemplates' must be >= 0");
        assertThatThrownBy(() -> create(p, Map.of("samplingRates", "router.example=100")))
                .isInstanceOf(OptionException.class).hasMessageContaining("not a numeric IPv4 or IPv6 address");
        assertThatThrownBy(() -> create(p, Map.of("samplingRates", "192.0.2.1=0")))
                .isInstanceOf(OptionException.class).hasMessageContaining("address=rate");
        assertThatThrownBy(() -> create(p, Map.of("onError", "ignore")))
                .isInstanceOf(OptionException.class).hasMessageContaining("drop, fail");
    }

    @Test
    void exporterLabelsAreCapped() throws Exception {
        TestContext c = TestContext.create(Map.of("maxExporterLabels", "1"));
        byte[] v5 = new io.caravan.traffic.datagram.NetflowV5Builder().build();
        c.decode(v5, new java.net.InetSocketAddress("192.0.2.1", 1));
        c.decode(v5, new java.net.InetSocketAddress("192.0.2.2", 1));
        c.decode(v5, new java.net.InetSocketAddress("192.0.2.3", 1));
        assertThat(c.count("caravan.decoder.datagrams", "protocol", "netflow_v5", "exporter", "192.0.2.1")).isEqualTo(1);
        assertThat(c.count("caravan.decoder.datagrams", "protocol", "netflow_v5", "exporter", "other")).isEqualTo(2);
    }

    private static void create(DecodeNetflowStageProvider p, Map<String, ?> raw) throws OptionException {
        p.create(StageOptions.bind(p.name(), p.options(), raw), new TestContext());
    }
}
