package io.caravan.api.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageOptionsTest {
    private static final List<OptionSpec> SPECS = List.of(
            OptionSpec.of("size", OptionType.INT, "10", "batch size"),
            OptionSpec.of("every", OptionType.DURATION, "5s", "interval"),
            OptionSpec.of("enabled", OptionType.BOOLEAN, "true", "on or off"),
            OptionSpec.choice("format", "json", "encoding", "json", "binary"),
            OptionSpec.of("internal", OptionType.CIDR_LIST, "10.0.0.0/8", "internal networks"),
            OptionSpec.of("tags", OptionType.LIST, null, "tags"),
            OptionSpec.required("name", OptionType.STRING, "a name"));

    @Test
    void fillsDefaultsAndConvertsTypes() throws Exception {
        StageOptions o = StageOptions.bind("s", SPECS, Map.of("name", "x", "size", "42", "every", "2m", "tags", "a, b,c"));
        assertThat(o.getInt("size")).isEqualTo(42);
        assertThat(o.getDuration("every")).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.getBoolean("enabled")).isTrue();
        assertThat(o.getString("format")).isEqualTo("json");
        assertThat(o.getCidrs("internal")).hasSize(1);
        assertThat(o.getList("tags")).containsExactly("a", "b", "c");
        assertThat(o.getString("name")).isEqualTo("x");
    }

    @Test
    void unknownOptionNamesStageOptionAndValidOptions() {
        assertThatThrownBy(() -> StageOptions.bind("classify", SPECS, Map.of("name", "x", "sise", "1")))
                .isInstanceOf(OptionException.class)
                .hasMessage("stage 'classify': unknown option 'sise'; valid options: size, every, enabled, format, internal, tags, name");
    }

    @Test
    void illTypedValuesAreRejectedWithTheExpectedType() {
        assertThatThrownBy(() -> StageOptions.bind("s", SPECS, Map.of("name", "x", "size", "ten")))
                .hasMessage("stage 's': option 'size' expects integer; got 'ten'");
        assertThatThrownBy(() -> StageOptions.bind("s", SPECS, Map.of("name", "x", "enabled", "yes")))
                .hasMessageContaining("option 'enabled' expects boolean");
        assertThatThrownBy(() -> StageOptions.bind("s", SPECS, Map.of("name", "x", "every", "soon")))
                .hasMessageContaining("option 'every' expects duration");
        assertThatThrownBy(() -> StageOptions.bind("s", SPECS, Map.of("name", "x", "internal", "10.0.0.0/33")))
                .hasMessageContaining("option 'internal' expects comma-separated list of CIDR prefixes")
                .hasMessageContaining("prefix length outside 0..32");
    }

    @Test
    void aComponentBindsItsEndpointParametersWithErrorsNamingTheComponent() throws Exception {
        List<OptionSpec> specs = List.of(OptionSpec.integer("batchSize", 1, "per exchange").min(1).max(4096));
        assertThat(StageOptions.bindComponent("udp", specs, Map.of("batchSize", "64")).getInt("batchSize")).isEqualTo(64);
        assertThatThrownBy(() -> StageOptions.bindComponent("udp", specs, Map.of("batchSize", "0")))
                .isInstanceOf(OptionException.class)
                .hasMessage("component 'udp': option 'batchSize' must be 1 to 4096; got '0'");
        assertThatThrownBy(() -> StageOptions.bindComponent("udp", specs, Map.of("batch", "0")))
                .hasMessage("component 'udp': unknown option 'batch'; valid options: batchSize");
    }

    @Test
    void choicesAreListed() {
        assertThatThrownBy(() -> StageOptions.bind("enc", SPECS, Map.of("name", "x", "format", "xml")))
                .hasMessage("stage 'enc': option 'format' must be one of json, binary; got 'xml'");
    }

    @Test
    void requiredOptionMustBeGiven() {
        assertThatThrownBy(() -> StageOptions.bind("s", SPECS, Map.of()))
                .hasMessageStartingWith("stage 's': option 'name' is required");
    }

    @Test
    void toStringNeverShowsASecret() throws Exception {
        StageOptions o = StageOptions.bind("s", java.util.List.of(OptionSpec.string("user", "", "u"),
                OptionSpec.string("password", "", "p"), OptionSpec.string("secretKey", "", "k"),
                OptionSpec.string("api_key", "", "a")), java.util.Map.of("user", "ann", "password", "hunter2",
                "secretKey", "s3cr3t", "api_key", "k3y"));

        org.assertj.core.api.Assertions.assertThat(o.toString()).contains("user=ann").doesNotContain("hunter2", "s3cr3t",
                "k3y");
    }
}
