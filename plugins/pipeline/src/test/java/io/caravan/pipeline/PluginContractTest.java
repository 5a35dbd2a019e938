package io.caravan.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.stage.StageProvider;
import io.caravan.pipeline.aggregate.AggregateBeanProvider;
import io.caravan.pipeline.classify.ClassifyStageProvider;
import io.caravan.pipeline.encode.EncodeStageProvider;
import io.caravan.pipeline.filter.FilterStageProvider;
import io.caravan.pipeline.flowfile.FlowFileComponentProvider;
import io.caravan.pipeline.flowfile.FlowFileConfiguration;
import io.caravan.pipeline.json.DecodeJsonStageProvider;
import io.caravan.pipeline.json.EncodeJsonStageProvider;
import io.caravan.pipeline.protobuf.DecodeProtobufStageProvider;
import io.caravan.pipeline.protobuf.EncodeProtobufStageProvider;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.spi.UriParam;
import io.caravan.testkit.PluginContract;
import org.junit.jupiter.api.Test;

/** The plugin as PF4J and the docs see it: indexed, static-free extensions whose options the README lists verbatim. */
class PluginContractTest {
    private static final List<Class<?>> EXTENSIONS = List.of(ClassifyStageProvider.class, FilterStageProvider.class,
            DecodeJsonStageProvider.class, EncodeJsonStageProvider.class, DecodeProtobufStageProvider.class,
            EncodeProtobufStageProvider.class, EncodeStageProvider.class, AggregateBeanProvider.class,
            FlowFileComponentProvider.class);

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
        assertThat(stages()).extracting(StageProvider::name)
                .containsExactly("classify", "filter", "decode-json", "encode-json", "decode-protobuf",
                        "encode-protobuf", "encode")
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
    void theReadmeListsTheComponentAndItsOptionDefaultsAreTheFieldValues() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        ComponentProvider component = new FlowFileComponentProvider();
        FlowFileConfiguration defaults = new FlowFileConfiguration();

        assertThat(readme).contains("| `" + component.scheme() + "` | " + component.description() + " |");
        List<String> options = new ArrayList<>();
        for (Field f : FlowFileConfiguration.class.getDeclaredFields()) {
            UriParam param = f.getAnnotation(UriParam.class);
            if (param != null) {
                options.add(f.getName());
                f.setAccessible(true);
                assertThat(String.valueOf(f.get(defaults))).as("default of %s", f.getName()).isEqualTo(param.defaultValue());
            }
        }
        assertThat(options).containsExactly("prefix", "suffix", "rotateSeconds", "rotateBytes", "gzip", "fsync");
    }

    private static List<StageProvider<?, ?>> stages() {
        return List.of(new ClassifyStageProvider(), new FilterStageProvider(), new DecodeJsonStageProvider(),
                new EncodeJsonStageProvider(), new DecodeProtobufStageProvider(), new EncodeProtobufStageProvider(),
                new EncodeStageProvider());
    }
}
