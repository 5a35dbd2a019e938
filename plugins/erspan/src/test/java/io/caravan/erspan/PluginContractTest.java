package io.caravan.erspan;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.testkit.PluginContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plugin as PF4J and the docs see it. */
class PluginContractTest {
    private static final List<Class<?>> EXTENSIONS = List.of(ErspanComponentProvider.class);

    @Test
    void everyContributionIsIndexedForPf4j() throws Exception {
        PluginContract.assertIndexed(EXTENSIONS);
    }

    @Test
    void contributionsAreStaticFreeExtensionsWithAPublicNoArgConstructor() throws Exception {
        PluginContract.assertStaticFreeExtensions(EXTENSIONS);
    }

    @Test
    void theReadmeDescribesTheComponentAndEveryOption() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        ErspanComponentProvider p = new ErspanComponentProvider();

        assertThat(readme).contains(p.description());
        p.options().forEach(o -> assertThat(readme).contains("| `" + o.name() + "` |"));
    }
}
