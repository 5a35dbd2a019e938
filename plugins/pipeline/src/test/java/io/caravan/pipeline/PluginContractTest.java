package io.caravan.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.plugin.BeanProvider;
import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.stage.OptionSpec;
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
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
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
    void theReadmeListsEveryStageAndOptionExactlyAsDeclared() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);

        for (StageProvider<?, ?> stage : stages()) {
            assertThat(readme).contains("| `" + stage.name() + "` | `" + stage.inputType().getSimpleName() + "` → `"
                    + stage.outputType().getSimpleName() + "` | " + stage.description() + " |");
            for (OptionSpec option : stage.options()) {
                assertThat(readme).as("README row of %s option %s", stage.name(), option.name()).contains(row(option));
            }
        }
        for (Map.Entry<String, String> bean : new AggregateBeanProvider().descriptions().entrySet()) {
            assertThat(readme).contains("| `" + bean.getKey() + "` | `org.apache.camel.AggregationStrategy` | "
                    + bean.getValue() + " |");
        }
    }

    @Test
    void theReadmeListsTheComponentAndEveryOptionAsAnnotatedWithDefaultsThatAreTheFieldValues() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        ComponentProvider component = new FlowFileComponentProvider();
        FlowFileConfiguration defaults = new FlowFileConfiguration();

        assertThat(readme).contains("| `" + component.scheme() + "` | " + component.description() + " |");
        List<String> options = new ArrayList<>();
        for (Field f : FlowFileConfiguration.class.getDeclaredFields()) {
            UriPath path = f.getAnnotation(UriPath.class);
            UriParam param = f.getAnnotation(UriParam.class);
            if (path != null) {
                assertThat(readme).contains("| `<" + f.getName() + ">` | path | required | " + path.description() + " |");
            }
            if (param != null) {
                options.add(f.getName());
                f.setAccessible(true);
                assertThat(String.valueOf(f.get(defaults))).as("default of %s", f.getName()).isEqualTo(param.defaultValue());
                assertThat(readme).as("README row of flowfile option %s", f.getName()).contains("| `" + f.getName() + "` | "
                        + typeName(f.getType()) + " | `" + param.defaultValue() + "` | " + param.description() + " |");
            }
        }
        assertThat(options).containsExactly("prefix", "suffix", "rotateSeconds", "rotateBytes", "gzip", "fsync");
    }

    private static String typeName(Class<?> type) {
        return type == String.class ? "STRING" : type == int.class ? "INT" : type == long.class ? "LONG"
                : type == boolean.class ? "BOOLEAN" : type.getSimpleName();
    }

    /** How the README writes an option: name, type (with choices), default, doc. */
    private static String row(OptionSpec o) {
        String type = o.type().name() + (o.choices().isEmpty() ? ""
                : o.choices().stream().map(c -> "`" + c + "`").collect(Collectors.joining(", ", " (", ")")));
        String defaultValue = o.defaultValue() == null ? "—" : "`" + o.defaultValue() + "`";
        return "| `" + o.name() + "` | " + type + " | " + defaultValue + " | " + o.doc() + " |";
    }

    private static List<StageProvider<?, ?>> stages() {
        return List.of(new ClassifyStageProvider(), new FilterStageProvider(), new DecodeJsonStageProvider(),
                new EncodeJsonStageProvider(), new DecodeProtobufStageProvider(), new EncodeProtobufStageProvider(),
                new EncodeStageProvider());
    }
}
