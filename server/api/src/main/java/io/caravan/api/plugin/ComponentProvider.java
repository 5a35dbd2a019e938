package io.caravan.api.plugin;

import io.caravan.api.stage.OptionSpec;
import java.util.List;
import org.apache.camel.Component;
import org.pf4j.ExtensionPoint;

/**
 * Contributes a whole Camel component under its own scheme, for sources and sinks that need
 * connection management. The runtime registers it with {@code CamelContext.addComponent} (Camel
 * cannot discover components inside plugin jars) and removes it when the plugin unloads.
 *
 * <p>Mark implementations {@code @Extension}; they need a public no-argument constructor and no
 * static state.
 */
public interface ComponentProvider extends ExtensionPoint {

    /** The URI scheme, unique across plugins and Camel's own components. */
    String scheme();

    /** One line: what the component does. */
    String description();

    /**
     * The endpoint options, declared once: {@code caravan plugins}, the admin API and the plugin's
     * generated README table list them, and a component validates its endpoint parameters with
     * {@code StageOptions.bind} so errors read as they do for stages.
     */
    default List<OptionSpec> options() {
        return List.of();
    }

    /**
     * A new, unstarted component instance. {@code context} gives it meters, a clock, a data
     * directory and loggers; keep it for the component's life.
     */
    Component create(PluginContext context);
}
