package io.caravan.skydive.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.StageOptions;
import io.caravan.skydive.account.Account;
import io.caravan.skydive.compress.GzipCompression;
import io.caravan.skydive.encode.CsvEncoder;
import io.caravan.skydive.encode.JsonEncoder;
import io.caravan.skydive.encode.SecAdvisorEncoder;
import io.caravan.skydive.storeheader.VpcLogsHeader;
import io.caravan.skydive.write.EndpointWriter;
import io.caravan.skydive.write.FileObjectWriter;
import io.caravan.skydive.write.StdoutWriter;
import io.caravan.testkit.PluginContract;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store component as PF4J and the docs see it. */
class StoreContractTest {

    @Test
    void theComponentIsAnIndexedStaticFreeExtension() throws Exception {
        // The plugin has other contributors too; the store's only needs to be among those PF4J indexes.
        assertThat(Files.readAllLines(Path.of("target/classes/META-INF/extensions.idx"), StandardCharsets.UTF_8))
                .contains(StoreComponentProvider.class.getName());
        PluginContract.assertStaticFreeExtensions(List.of(StoreComponentProvider.class));
    }

    @Test
    void theStoreClassesKeepNoStaticMutableState() {
        for (Class<?> type : List.of(StoreComponent.class, StoreEndpoint.class, StoreProducer.class,
                StoreConfiguration.class, BufferedStore.class, DirectStore.class, TagBuffer.class, ObjectMaker.class,
                ObjectKeys.class, StoreMetrics.class, Account.class, JsonEncoder.class, CsvEncoder.class,
                SecAdvisorEncoder.class, GzipCompression.class, VpcLogsHeader.class, EndpointWriter.class,
                FileObjectWriter.class, StdoutWriter.class)) {
            assertThat(Arrays.stream(type.getDeclaredFields())
                    .filter(f -> !f.isSynthetic() && Modifier.isStatic(f.getModifiers()))
                    .filter(f -> !Modifier.isFinal(f.getModifiers())).map(Field::getName))
                    .as("non-final static fields of %s", type).isEmpty();
        }
    }

    @Test
    void theOptionsAreValidSpecsAndTheReadmeListsEachOfThem() throws Exception {
        ComponentProvider component = new StoreComponentProvider();
        StageOptions.checkSpecs("component 'skydive-store'", component.options());
        assertThat(component.options()).isSameAs(StoreConfiguration.OPTIONS);

        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        assertThat(readme).contains("<!-- caravan:options:begin component=skydive-store -->");
        for (OptionSpec o : component.options()) {
            assertThat(readme).contains("| `" + o.name() + "` |");
        }
    }
}
