package io.caravan.server.stage;

import io.caravan.api.stage.StageProvider;

/** A stage provider and the plugin it came from. */
public record RegisteredStage(StageProvider<?, ?> provider, String pluginId, String pluginVersion, ClassLoader loader) {
    public String name() {
        return provider.name();
    }
}
