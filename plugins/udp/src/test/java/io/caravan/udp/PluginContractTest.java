package io.caravan.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.plugin.ComponentProvider;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import io.caravan.testkit.PluginContract;
import org.junit.jupiter.api.Test;

/** The plugin as PF4J and the docs see it: an indexed, static-free extension whose options the README lists verbatim. */
class PluginContractTest {
    private static final List<Class<?>> EXTENSIONS = List.of(UdpComponentProvider.class);

    @Test
    void everyContributionIsIndexedForPf4j() throws Exception {
        PluginContract.assertIndexed(EXTENSIONS);
    }

    @Test
    void contributionsAreStaticFreeExtensionsWithAPublicNoArgConstructor() throws Exception {
        PluginContract.assertStaticFreeExtensions(EXTENSIONS);
    }

    @Test
    void theComponentClassesKeepNoStaticMutableState() {
        for (Class<?> type : List.of(UdpComponent.class, UdpEndpoint.class, UdpConsumer.class, UdpConfiguration.class,
                UdpMeters.class, UdpConstants.class)) {
            assertThat(Arrays.stream(type.getDeclaredFields())
                    .filter(f -> !f.isSynthetic() && Modifier.isStatic(f.getModifiers()))
                    .filter(f -> !Modifier.isFinal(f.getModifiers())).map(Field::getName))
                    .as("non-final static fields of %s", type).isEmpty();
        }
    }

    @Test
    void theReadmeListsTheComponentAndItsOptionDefaultsAreTheFieldValues() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        ComponentProvider component = new UdpComponentProvider();
        UdpConfiguration defaults = new UdpConfiguration();

        assertThat(component.scheme()).isEqualTo("udp");
        assertThat(readme).contains("| `" + component.scheme() + "` | " + component.description() + " |");
        List<String> paths = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (Field f : UdpConfiguration.class.getDeclaredFields()) {
            UriPath path = f.getAnnotation(UriPath.class);
            UriParam param = f.getAnnotation(UriParam.class);
            if (path != null) {
                paths.add(f.getName());
                assertThat(readme).as("README row of udp path %s", f.getName())
                        .contains("| `<" + f.getName() + ">` | " + path.description() + " (required) |");
            }
            if (param != null) {
                options.add(f.getName());
                f.setAccessible(true);
                assertThat(String.valueOf(f.get(defaults))).as("default of %s", f.getName()).isEqualTo(param.defaultValue());
            }
        }
        assertThat(paths).containsExactly("host", "port");
        assertThat(options).containsExactly("sockets", "receiveBufferSize", "workers", "queueSize", "batchSize", "coalesceMicros");
    }

    @Test
    void theReadmeNamesEveryMeter() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);

        assertThat(readme).contains("`" + UdpConstants.METER_DATAGRAMS + "`", "`" + UdpConstants.METER_QUEUE_DROPS + "`",
                "`" + UdpConstants.METER_PROCESS_ERRORS + "`", "`" + UdpConstants.METER_QUEUE_DEPTH + "`");
    }
}
