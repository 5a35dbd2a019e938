package io.caravan.vanflow.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.StageOptions;
import io.caravan.testkit.PluginContract;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ingest side as PF4J, the docs and a route see it. */
class PluginContractTest {
    /** Everything the plugin contributes: the ingest component and the state/API beans. */
    private static final List<Class<?>> EXTENSIONS = List.of(VanFlowComponentProvider.class,
            io.caravan.vanflow.api.VanFlowBeanProvider.class);

    @Test
    void thePluginsExtensionsAreIndexedAndStaticFree() throws Exception {
        PluginContract.assertIndexed(EXTENSIONS);
        PluginContract.assertStaticFreeExtensions(EXTENSIONS);
        for (Class<?> type : List.of(VanFlowComponent.class, VanFlowEndpoint.class, VanFlowConsumer.class,
                Ingest.class, EventSource.class, FlowTable.class, IngestCounts.class)) {
            assertThat(Arrays.stream(type.getDeclaredFields())
                    .filter(f -> !f.isSynthetic() && Modifier.isStatic(f.getModifiers()))
                    .filter(f -> !Modifier.isFinal(f.getModifiers())).map(Field::getName))
                    .as("non-final static fields of %s", type).isEmpty();
        }
    }

    @Test
    void theOptionsAreDeclaredBoundedAndListedInTheReadme() throws Exception {
        ComponentProvider component = new VanFlowComponentProvider();
        StageOptions.checkSpecs("component 'vanflow'", component.options());
        assertThat(component.options()).isSameAs(VanFlowConfiguration.OPTIONS);
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        assertThat(readme).contains("| `" + component.scheme() + "` | " + component.description() + " |");
        for (OptionSpec o : component.options()) {
            assertThat(readme).contains("| `" + o.name() + "` |");
        }
        for (Field f : VanFlowConstants.class.getFields()) {
            if (f.getName().startsWith("METER_")) {
                assertThat(readme).contains("`" + f.get(null) + "`");
            }
        }
    }

    @Test
    void aBadUrlOrOptionFailsTheEndpointWithItsName() throws Exception {
        assertThatThrownBy(() -> VanFlowConfiguration.of("collector", Map.of("url", "http://x:1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amqp://host:port");
        assertThatThrownBy(() -> VanFlowConfiguration.of("collector", Map.of()))
                .hasMessageContaining("url");
        assertThatThrownBy(() -> VanFlowConfiguration.of("collector", Map.of("url", "amqp://h:5672", "credit", "0")))
                .hasMessageContaining("credit");
        VanFlowConfiguration c = VanFlowConfiguration.of("collector", Map.of("url", "amqps://router:5671",
                "state", "#myState"));
        assertThat(c.state()).isEqualTo("myState");
        assertThat(c.where()).isEqualTo("amqps://router:5671");
        assertThat(VanFlowConfiguration.of("c", Map.of("url", "amqp://h", "state", "none")).state()).isEmpty();
    }
}
