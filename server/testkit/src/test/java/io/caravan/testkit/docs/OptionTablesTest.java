package io.caravan.testkit.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.plugin.BeanProvider;
import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.Component;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionTablesTest {
    enum OnError { DROP, FAIL_FAST }

    /** A decoder with one option of each kind the table renders differently. */
    public static final class Decoder implements StageProvider<DatagramBatch, FlowBatch> {
        @Override
        public String name() {
            return "decode-test";
        }

        @Override
        public String description() {
            return "decodes test datagrams";
        }

        @Override
        public Class<DatagramBatch> inputType() {
            return DatagramBatch.class;
        }

        @Override
        public Class<FlowBatch> outputType() {
            return FlowBatch.class;
        }

        @Override
        public List<OptionSpec> options() {
            return List.of(
                    OptionSpec.choice("onError", OnError.class, OnError.DROP, "drop the datagram, or fail the message"),
                    OptionSpec.integer("batchSize", 64, "datagrams per batch").min(1).max(4096),
                    OptionSpec.size("maxBytes", "4MiB", "state bytes | per exporter").min("1KiB"),
                    OptionSpec.of("templateFile", OptionType.STRING, null, "where templates are kept\nacross restarts"),
                    OptionSpec.required("target", OptionType.HOST_PORT, "where to send"));
        }

        @Override
        public Stage<DatagramBatch, FlowBatch> create(StageOptions options, StageContext context) {
            throw new UnsupportedOperationException();
        }
    }

    public static final class NoOptions implements StageProvider<FlowBatch, FlowBatch> {
        @Override
        public String name() {
            return "pass";
        }

        @Override
        public String description() {
            return "passes batches on";
        }

        @Override
        public Class<FlowBatch> inputType() {
            return FlowBatch.class;
        }

        @Override
        public Class<FlowBatch> outputType() {
            return FlowBatch.class;
        }

        @Override
        public List<OptionSpec> options() {
            return List.of();
        }

        @Override
        public Stage<FlowBatch, FlowBatch> create(StageOptions options, StageContext context) {
            return b -> b;
        }
    }

    public static final class Listener implements ComponentProvider {
        @Override
        public String scheme() {
            return "listen";
        }

        @Override
        public String description() {
            return "listens";
        }

        @Override
        public List<OptionSpec> options() {
            return List.of(OptionSpec.duration("idle", "30s", "close after this long idle"));
        }

        @Override
        public Component create(PluginContext context) {
            throw new UnsupportedOperationException();
        }
    }

    public static final class Beans implements BeanProvider {
        @Override
        public Map<String, Object> beans(PluginContext context) {
            return Map.of();
        }

        @Override
        public Map<String, String> descriptions() {
            return Map.of("joiner", "joins batches");
        }
    }

    private static final OptionTables.Plugin PLUGIN = new OptionTables.Plugin(List.of(new NoOptions(), new Decoder()),
            List.of(new Listener()), new Beans().descriptions());

    @Test
    void aTableHasARowPerOptionWithTypeDefaultAllowedValuesAndDescription() {
        assertThat(OptionTables.table(new Decoder().options())).isEqualTo("""
                | Option | Type | Default | Allowed | Description |
                |---|---|---|---|---|
                | `onError` | choice | `drop` | `drop`, `fail-fast` | drop the datagram, or fail the message |
                | `batchSize` | int | `64` | 1 to 4096 | datagrams per batch |
                | `maxBytes` | size | `4MiB` | >= 1KiB | state bytes \\| per exporter |
                | `templateFile` | string | — | any | where templates are kept across restarts |
                | `target` | host_port | required | any | where to send |""");
        assertThat(OptionTables.table(List.of())).isEqualTo("No options.");
        assertThat(OptionTables.beans(Map.of("joiner", "joins batches")))
                .isEqualTo("| Bean | Description |\n|---|---|\n| `joiner` | joins batches |");
    }

    @Test
    void eachBlockIsReplacedByWhatItNamesAndTheRestOfTheReadmeIsKept() {
        String readme = """
                # Plugin

                Prose before.

                <!-- caravan:options:begin stage=decode-test -->
                | hand-written | stale |
                <!-- caravan:options:end -->

                More prose.
                <!-- caravan:options:begin stage=pass -->
                <!-- caravan:options:end -->
                <!-- caravan:options:begin component=listen --><!-- caravan:options:end -->
                <!-- caravan:options:begin beans -->
                <!-- caravan:options:end -->
                End.
                """;

        String updated = OptionTables.update("README.md", readme, PLUGIN);

        assertThat(updated).startsWith("# Plugin\n\nProse before.\n\n<!-- caravan:options:begin stage=decode-test -->\n\n"
                + OptionTables.table(new Decoder().options()) + "\n\n<!-- caravan:options:end -->\n\nMore prose.\n")
                .contains("<!-- caravan:options:begin stage=pass -->\n\nNo options.\n\n<!-- caravan:options:end -->")
                .contains("<!-- caravan:options:begin component=listen -->\n\n| Option | Type | Default | Allowed | Description |"
                        + "\n|---|---|---|---|---|\n| `idle` | duration | `30s` | any | close after this long idle |\n\n"
                        + "<!-- caravan:options:end -->")
                .endsWith("| `joiner` | joins batches |\n\n<!-- caravan:options:end -->\nEnd.\n")
                .doesNotContain("hand-written");
        assertThat(OptionTables.update("README.md", updated, PLUGIN)).as("generated once, stable after").isEqualTo(updated);
    }

    @Test
    void anUntargetedBlockHoldsEveryStageComponentAndBean() {
        String updated = OptionTables.update("README.md", "<!-- caravan:options:begin -->\n<!-- caravan:options:end -->\n",
                PLUGIN);

        assertThat(updated).contains("**Stage `decode-test`** (`DatagramBatch` → `FlowBatch`): decodes test datagrams\n\n"
                        + "| Option |")
                .contains("**Stage `pass`** (`FlowBatch` → `FlowBatch`): passes batches on\n\nNo options.")
                .contains("**Component `listen`**: listens\n\n| Option |")
                .contains("**Beans**\n\n| Bean | Description |");
        assertThat(updated.indexOf("decode-test")).as("stages by name").isLessThan(updated.indexOf("`pass`"));
    }

    @Test
    void markersThatCannotBeFilledAreRefusedNamingTheReadme() {
        assertThatThrownBy(() -> OptionTables.update("x/README.md", "# no markers\n", PLUGIN))
                .isInstanceOf(OptionTables.MarkerException.class)
                .hasMessageStartingWith("x/README.md has no '<!-- caravan:options:begin ... -->'");
        assertThatThrownBy(() -> OptionTables.update("README.md",
                "<!-- caravan:options:begin stage=decode-tset -->\n<!-- caravan:options:end -->\n", PLUGIN))
                .hasMessage("README.md: '<!-- caravan:options:begin stage=decode-tset -->' names a stage the plugin does not"
                        + " contribute; its stages: decode-test, pass");
        assertThatThrownBy(() -> OptionTables.update("README.md",
                "<!-- caravan:options:begin stage=pass -->\n<!-- caravan:options:begin beans -->\n<!-- caravan:options:end -->",
                PLUGIN))
                .hasMessage("README.md: '<!-- caravan:options:begin stage=pass -->' has no <!-- caravan:options:end --> after it");
        assertThatThrownBy(() -> OptionTables.update("README.md",
                "<!-- caravan:options:begin stage=pass -->\n<!-- caravan:options:end -->\n", PLUGIN))
                .hasMessage("README.md documents no options of stage=decode-test, component=listen, beans; add a"
                        + " '<!-- caravan:options:begin stage=decode-test -->' block");
    }

    @Test
    void theDiffShowsRemovedAndAddedLinesWithTheirNumbers() {
        assertThat(OptionTables.diff("a\nb\nc\n", "a\nB\nc\nd\n"))
                .isEqualTo(String.format("+   2: B%n-   2: b%n+   4: d%n"));
    }

    @TempDir
    Path module;

    private Path moduleWith(String readme) throws Exception {
        Path index = Files.createDirectories(module.resolve("target/classes/META-INF")).resolve("extensions.idx");
        Files.writeString(index, "# written by PF4J\n" + Decoder.class.getName() + "\n" + Beans.class.getName() + "\n");
        return Files.writeString(module.resolve("README.md"), readme, StandardCharsets.UTF_8);
    }

    @Test
    void checkFailsOnAStaleReadmeNamingItAndShowingTheDifferenceAndWriteFixesIt() throws Exception {
        Path readme = moduleWith("""
                <!-- caravan:options:begin stage=decode-test -->
                | `batchSize` | int | `32` | any | hand-edited |
                <!-- caravan:options:end -->
                <!-- caravan:options:begin beans --><!-- caravan:options:end -->
                """);
        ClassLoader loader = getClass().getClassLoader();

        assertThatThrownBy(() -> OptionDocs.run(module, loader, OptionDocs.Mode.CHECK))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(readme + ": the option tables differ from the plugin's OptionSpecs")
                .hasMessageContaining("-Dcaravan.docs=write")
                .hasMessageContaining("-   2: | `batchSize` | int | `32` | any | hand-edited |")
                .hasMessageContaining("| `batchSize` | int | `64` | 1 to 4096 | datagrams per batch |");
        assertThat(Files.readString(readme)).contains("hand-edited");

        assertThat(OptionDocs.run(module, loader, OptionDocs.Mode.WRITE)).isEqualTo("option tables rewritten");
        assertThat(Files.readString(readme)).doesNotContain("hand-edited").contains("| `joiner` | joins batches |");
        assertThat(OptionDocs.run(module, loader, OptionDocs.Mode.CHECK)).isEqualTo("option tables up to date");
    }

    @Test
    void theModeIsCheckWriteOrSkip() {
        assertThat(OptionDocs.mode("write")).isEqualTo(OptionDocs.Mode.WRITE);
        assertThatThrownBy(() -> OptionDocs.mode("fix")).hasMessage("-Dcaravan.docs=fix: expected check, write or skip");
    }
}
