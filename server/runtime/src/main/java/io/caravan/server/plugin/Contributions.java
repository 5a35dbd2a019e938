package io.caravan.server.plugin;

import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.stage.StageProvider;
import java.util.List;
import java.util.Map;

/**
 * What one plugin contributes: stages, components and named beans.
 *
 * @param beans            bean name to bean
 * @param beanDescriptions bean name to one-line description
 */
public record Contributions(List<StageProvider<?, ?>> stages, List<ComponentProvider> components,
                           Map<String, Object> beans, Map<String, String> beanDescriptions) {

    public List<String> stageNames() {
        return stages.stream().map(StageProvider::name).toList();
    }

    public List<String> schemes() {
        return components.stream().map(ComponentProvider::scheme).toList();
    }

    public boolean isEmpty() {
        return stages.isEmpty() && components.isEmpty() && beans.isEmpty();
    }
}
