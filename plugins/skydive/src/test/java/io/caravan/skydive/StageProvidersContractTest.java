package io.caravan.skydive;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import io.caravan.skydive.classify.SkydiveClassifyStageProvider;
import io.caravan.skydive.mangle.SkydiveMangleStageProvider;
import io.caravan.skydive.transform.SkydiveTransformStageProvider;
import io.caravan.testkit.PluginContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The classify, transform and mangle providers follow the plugin contract and declare valid options. */
class StageProvidersContractTest {
    private static final List<Class<?>> PROVIDERS = List.of(SkydiveClassifyStageProvider.class,
            SkydiveTransformStageProvider.class, SkydiveMangleStageProvider.class);

    @Test
    void providersAreStaticFreeExtensions() throws Exception {
        PluginContract.assertStaticFreeExtensions(PROVIDERS);
    }

    @Test
    void optionSpecsAreValidAndNamesUnique() throws Exception {
        for (Class<?> c : PROVIDERS) {
            StageProvider<?, ?> p = (StageProvider<?, ?>) c.getConstructor().newInstance();
            StageOptions.checkSpecs(p.name(), p.options());
            assertThat(p.name()).matches("[a-z]+(-[a-z]+)*");
            assertThat(p.options()).allSatisfy(o -> assertThat(o.doc()).isNotBlank());
        }
    }
}
