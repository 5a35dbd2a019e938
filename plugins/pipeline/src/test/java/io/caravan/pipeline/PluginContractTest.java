package io.caravan.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.plugin.BeanProvider;
import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import io.caravan.pipeline.aggregate.AggregateBeanProvider;
import io.caravan.pipeline.bus.BusComponentProvider;
import io.caravan.pipeline.classify.ClassifyStageProvider;
import io.caravan.pipeline.encode.EncodeStageProvider;
import io.caravan.pipeline.filter.FilterStageProvider;
import io.caravan.pipeline.flowfile.FlowFileComponentProvider;
import io.caravan.pipeline.json.DecodeJsonStageProvider;
import io.caravan.pipeline.json.EncodeJsonStageProvider;
import io.caravan.pipeline.protobuf.DecodeProtobufStageProvider;
import io.caravan.pipeline.protobuf.EncodeProtobufStageProvider;
import io.caravan.pipeline.records.EncodeRecordsStageProvider;
import io.caravan.testkit.PluginContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The plugin as PF4J and the docs see it: indexed, static-free extensions whose option tables the build generates into the README. */
class PluginContractTest {
    private static final List<Class<?>> EXTENSIONS = List.of(ClassifyStageProvider.class, FilterStageProvider.class,
            DecodeJsonStageProvider.class, EncodeJsonStageProvider.class, DecodeProtobufStageProvider.class,
            EncodeProtobufStageProvider.class, EncodeStageProvider.class, AggregateBeanProvider.class,
            FlowFileComponentProvider.class, BusComponentProvider.class, EncodeRecordsStageProvider.class);

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
                        "encode-protobuf", "encode", "encode-records")
                .allMatch(n -> n.matches("[a-z]+(-[a-z]+)*"));
    }

    @Test
    void theReadmeListsEveryStageAsDeclared() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);

        for (StageProvider<?, ?> stage : stages()) {
            assertThat(readme).contains("| `" + stage.name() + "` | `" + stage.inputType().getSimpleName() + "` → `"
                    + stage.outputType().getSimpleName() + "` | " + stage.description() + " |");
        }
    }

    @Test
    void theReadmeListsTheComponentAndEveryOptionAsDeclared() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        ComponentProvider component = new FlowFileComponentProvider();

        assertThat(readme).contains("| `" + component.scheme() + "` | " + component.description() + " |");
        assertThat(component.options()).extracting(OptionSpec::name)
                .containsExactly("prefix", "suffix", "rotateSeconds", "rotateBytes", "compression", "fsync", "bufferSize",
                        "flushMillis", "format", "attributes", "omitZero");
        ComponentProvider bus = new BusComponentProvider();
        assertThat(readme).contains("| `" + bus.scheme() + "` | " + bus.description() + " |");
        assertThat(bus.options()).extracting(OptionSpec::name)
                .containsExactly("subscriber", "capacity", "overflow", "offerTimeoutMs", "spoolBytes");
    }

    @Test
    void everyDeclaredDefaultLiesWithinItsBounds() {
        for (StageProvider<?, ?> stage : stages()) {
            StageOptions.checkSpecs("stage '" + stage.name() + "'", stage.options());
        }
        StageOptions.checkSpecs("component 'flowfile'", new FlowFileComponentProvider().options());
        StageOptions.checkSpecs("component 'bus'", new BusComponentProvider().options());
    }


    private static List<StageProvider<?, ?>> stages() {
        return List.of(new ClassifyStageProvider(), new FilterStageProvider(), new DecodeJsonStageProvider(),
                new EncodeJsonStageProvider(), new DecodeProtobufStageProvider(), new EncodeProtobufStageProvider(),
                new EncodeStageProvider(), new EncodeRecordsStageProvider());
    }
}
