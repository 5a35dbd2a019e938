package io.caravan.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.StageOptions;
import io.caravan.testkit.PluginContract;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The plugin as PF4J and the docs see it: an indexed, static-free extension whose option table the build generates into the README. */
class PluginContractTest {
    private static final List<Class<?>> EXTENSIONS = List.of(UdpComponentProvider.class,
            io.caravan.udp.relay.RelayComponentProvider.class);

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
                UdpSockets.class, DatagramReader.class, Coalescing.class, RouteRunner.class, WorkerQueue.class,
                UdpCounts.class, Threads.class, UdpConstants.class, NioReceiver.class, EpollReceiver.class)) {
            assertThat(Arrays.stream(type.getDeclaredFields())
                    .filter(f -> !f.isSynthetic() && Modifier.isStatic(f.getModifiers()))
                    .filter(f -> !Modifier.isFinal(f.getModifiers())).map(Field::getName))
                    .as("non-final static fields of %s", type).isEmpty();
        }
    }

    @Test
    void theDeclaredOptionsAreTheOnesTheComponentBindsAndTheirDefaultsLieWithinTheirBounds() {
        ComponentProvider component = new UdpComponentProvider();

        StageOptions.checkSpecs("component 'udp'", component.options());
        assertThat(component.options()).extracting(OptionSpec::name)
                .containsExactly("sockets", "receiveBufferSize", "workers", "queueSize", "batchSize", "coalesceMicros",
                        "transport");
        assertThat(component.options()).isSameAs(UdpConfiguration.OPTIONS);
        assertThat(component.options()).allSatisfy(o -> assertThat(o.allowed()).as("bounds of %s", o.name()).isNotEmpty());
    }

    @Test
    void theReadmeListsTheComponentAndEveryOptionAsDeclared() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        ComponentProvider component = new UdpComponentProvider();

        assertThat(component.scheme()).isEqualTo("udp");
        assertThat(readme).contains("| `" + component.scheme() + "` | " + component.description() + " |");
    }

    @Test
    void theReadmeNamesEveryMeter() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);

        assertThat(readme).contains("`" + UdpConstants.METER_DATAGRAMS + "`", "`" + UdpConstants.METER_QUEUE_DROPS + "`",
                "`" + UdpConstants.METER_PROCESS_ERRORS + "`", "`" + UdpConstants.METER_QUEUE_DEPTH + "`");
    }

}
