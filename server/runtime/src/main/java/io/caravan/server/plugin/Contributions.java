package io.caravan.server.plugin;

import io.caravan.api.plugin.BeanProvider;
import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.stage.StageProvider;
import java.util.List;
import java.util.Map;

/**
 * What one plugin contributes: stages, components and named beans. Beans are made by their
 * providers when the plugin registers (they get its context then); their names are known at scan.
 *
 * @param beanProviders    the plugin's bean providers
 * @param beanDescriptions bean name to one-line description: every bean the plugin contributes
 */
public record Contributions(List<StageProvider<?, ?>> stages, List<ComponentProvider> components,
                           List<BeanProvider> beanProviders, Map<String, String> beanDescriptions) {

    /** The names of the beans this plugin contributes. */
    public java.util.Set<String> beanNames() {
        return beanDescriptions.keySet();
    }

    public List<String> stageNames() {
        return stages.stream().map(StageProvider::name).toList();
    }

    public List<String> schemes() {
        return components.stream().map(ComponentProvider::scheme).toList();
    }

    public boolean isEmpty() {
        return stages.isEmpty() && components.isEmpty() && beanDescriptions.isEmpty();
    }
}
