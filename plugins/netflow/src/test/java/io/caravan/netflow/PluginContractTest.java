package io.caravan.netflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import io.caravan.testkit.PluginContract;
import org.junit.jupiter.api.Test;

/** The plugin as PF4J and the docs see it: indexed, static-free extensions whose option tables the build generates into the README. */
class PluginContractTest {
    private static final List<Class<?>> EXTENSIONS = List.of(DecodeNetflowStageProvider.class,
            io.caravan.netflow.encode.EncodeNetflowStageProvider.class);

    @Test
    void everyContributionIsIndexedForPf4j() throws Exception {
        PluginContract.assertIndexed(EXTENSIONS);
    }

    @Test
    void contributionsAreStaticFreeExtensionsWithAPublicNoArgConstructor() throws Exception {
        PluginContract.assertStaticFreeExtensions(EXTENSIONS);
    }

    @Test
    void theStageTakesDatagramBatchesAndGivesFlowBatches() {
        DecodeNetflowStageProvider p = new DecodeNetflowStageProvider();
        assertThat(p.name()).isEqualTo("decode-netflow").matches("[a-z]+(-[a-z]+)*");
        assertThat(p.inputType()).isEqualTo(DatagramBatch.class);
        assertThat(p.outputType()).isEqualTo(FlowBatch.class);
    }

    @Test
    void theReadmeListsTheStageAndEveryOptionExactlyAsDeclared() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        StageProvider<?, ?> stage = new DecodeNetflowStageProvider();
        assertThat(readme).contains("| `" + stage.name() + "` | `" + stage.inputType().getSimpleName() + "` → `"
                + stage.outputType().getSimpleName() + "` | " + stage.description() + " |");
        for (String metric : List.of("caravan_decoder_datagrams_total", "caravan_decoder_records_total",
                "caravan_decoder_bytes_total", "caravan_decoder_errors_total", "caravan_decoder_sequence_gaps_total",
                "caravan_templates", "caravan_decoder_state_bytes", "caravan_decoder_state_evictions_total",
                "caravan_decoder_overflow_datagrams_total")) {
            assertThat(readme).contains(metric);
        }
    }

    @Test
    void theDeclaredSpecsHoldTheirOwnDefaults() {
        DecodeNetflowStageProvider p = new DecodeNetflowStageProvider();
        StageOptions.checkSpecs("decode-netflow", p.options());
        assertThat(p.options()).filteredOn(o -> o.type() == OptionType.INT || o.type() == OptionType.SIZE)
                .allSatisfy(o -> assertThat(o.min()).as("lower bound of %s", o.name()).isNotNull());
    }

    @Test
    void optionsAreCheckedByTheirDeclaredBoundsBeforeTheStageStarts() {
        assertThatThrownBy(() -> StageUnderTest.create(Map.of("maxTemplateBytes", "1KiB")))
                .isInstanceOf(OptionException.class).hasMessageContaining("'maxTemplateBytes' must be 16KiB to 16GiB");
        assertThatThrownBy(() -> StageUnderTest.create(Map.of("maxTemplateFields", "0")))
                .isInstanceOf(OptionException.class).hasMessageContaining("'maxTemplateFields' must be 1 to 16383");
        assertThatThrownBy(() -> StageUnderTest.create(Map.of("pendingDatagrams", "-1")))
                .isInstanceOf(OptionException.class).hasMessageContaining("'pendingDatagrams' must be 0 to 65536");
        assertThatThrownBy(() -> StageUnderTest.create(Map.of("samplingRates", "router.example=100")))
                .isInstanceOf(OptionException.class).hasMessageContaining("not a numeric IPv4 or IPv6 address");
        assertThatThrownBy(() -> StageUnderTest.create(Map.of("samplingRates", "192.0.2.1=0")))
                .isInstanceOf(OptionException.class).hasMessageContaining("address=rate");
    }

    @Test
    void exporterLabelsAreCapped() throws Exception {
        StageUnderTest c = StageUnderTest.create(Map.of("maxExporterLabels", "1"));
        byte[] v5 = new io.caravan.traffic.datagram.NetflowV5Builder().build();
        c.decode(v5, new java.net.InetSocketAddress("192.0.2.1", 1));
        c.decode(v5, new java.net.InetSocketAddress("192.0.2.2", 1));
        c.decode(v5, new java.net.InetSocketAddress("192.0.2.3", 1));
        assertThat(c.count("caravan.decoder.datagrams", "protocol", "netflow_v5", "exporter", "192.0.2.1")).isEqualTo(1);
        assertThat(c.count("caravan.decoder.datagrams", "protocol", "netflow_v5", "exporter", "other")).isEqualTo(2);
    }

}
