package io.caravan.skydive.source;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

/** The source component as PF4J, the docs and the secret masking see it. */
class SourceContractTest {

    @Test
    void theComponentIsAnIndexedStaticFreeExtension() throws Exception {
        // The index is the whole plugin's: the source, the store and the three stage providers.
        PluginContract.assertIndexed(List.of(SkydiveComponentProvider.class,
                io.caravan.skydive.store.StoreComponentProvider.class,
                io.caravan.skydive.classify.SkydiveClassifyStageProvider.class,
                io.caravan.skydive.transform.SkydiveTransformStageProvider.class,
                io.caravan.skydive.mangle.SkydiveMangleStageProvider.class));
        PluginContract.assertStaticFreeExtensions(List.of(SkydiveComponentProvider.class));
    }

    @Test
    void theSourceClassesKeepNoStaticMutableState() {
        for (Class<?> type : List.of(SkydiveComponent.class, SkydiveEndpoint.class, SkydiveConsumer.class,
                SkydiveConfiguration.class, SkydiveCounts.class, Subscription.class, FrameHandler.class,
                EnvelopeDecoder.class, ProtoReader.class, Backoff.class, ConnectionStatus.class, RouteQueue.class)) {
            assertThat(Arrays.stream(type.getDeclaredFields())
                    .filter(f -> !f.isSynthetic() && Modifier.isStatic(f.getModifiers()))
                    .filter(f -> !Modifier.isFinal(f.getModifiers())).map(Field::getName))
                    .as("non-final static fields of %s", type).isEmpty();
        }
    }

    @Test
    void theDeclaredOptionsAreCheckedAndThePasswordHasANameTheServerMasks() {
        ComponentProvider component = new SkydiveComponentProvider();

        StageOptions.checkSpecs("component 'skydive'", component.options());
        assertThat(component.options()).isSameAs(SkydiveConfiguration.OPTIONS);
        assertThat(component.options()).extracting(OptionSpec::name).contains("password", "username", "hostId",
                "captureId", "protocol", "authMode", "tls", "maxMessageBytes");
        // SecretMask hides the values of keys containing "password" in every URI the server shows.
        assertThat(component.options()).filteredOn(o -> o.name().toLowerCase().contains("password"))
                .extracting(OptionSpec::name).containsExactly("trustStorePassword", "password");
    }

    @Test
    void theReadmeListsTheComponentAndEveryMeter() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        ComponentProvider component = new SkydiveComponentProvider();

        assertThat(readme).contains("| `" + component.scheme() + "` | " + component.description() + " |");
        assertThat(readme).contains("## Source: the skydive component");
        for (String meter : List.of(SkydiveConstants.METER_MESSAGES, SkydiveConstants.METER_FLOWS,
                SkydiveConstants.METER_IGNORED, SkydiveConstants.METER_DECODE_ERRORS, SkydiveConstants.METER_RECONNECTS,
                SkydiveConstants.METER_PROCESS_ERRORS, SkydiveConstants.METER_CONNECTED)) {
            assertThat(readme).contains("`" + meter + "`");
        }
    }
}
