package io.caravan.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.stage.StageProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.caravan.testkit.PluginContract;
import org.junit.jupiter.api.Test;

/** The plugin as PF4J and the docs see it: indexed, static-free extensions whose options the README lists verbatim. */
class PluginContractTest {
    private static final List<Class<?>> EXTENSIONS = List.of(DecodeSflowStageProvider.class,
            io.caravan.sflow.relay.FilterSflowStageProvider.class);

    @Test
    void everyContributionIsIndexedForPf4j() throws Exception {
        PluginContract.assertIndexed(EXTENSIONS);
    }

    @Test
    void contributionsAreStaticFreeExtensionsWithAPublicNoArgConstructor() throws Exception {
        PluginContract.assertStaticFreeExtensions(EXTENSIONS);
    }

    @Test
    void stageNamesAreLowerCaseWordsJoinedByDashes() {
        assertThat(stages()).extracting(StageProvider::name).containsExactly("decode-sflow", "filter-sflow")
                .allMatch(n -> n.matches("[a-z]+(-[a-z]+)*"));
    }

    @Test
    void theReadmeListsEveryStage() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);

        for (StageProvider<?, ?> stage : stages()) {
            assertThat(readme).contains("| `" + stage.name() + "` | `" + stage.inputType().getSimpleName() + "` → `"
                    + stage.outputType().getSimpleName() + "` | " + stage.description() + " |");
        }
    }

    @Test
    void decodersNeverImportCamel() throws Exception {
        try (var files = Files.walk(Path.of("src/main/java"))) {
            List<Path> camel = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Files.readString(p).contains("import org.apache.camel");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            assertThat(camel).isEmpty();
        }
    }

    private static List<StageProvider<?, ?>> stages() {
        return List.of(new DecodeSflowStageProvider(), new io.caravan.sflow.relay.FilterSflowStageProvider());
    }
}
