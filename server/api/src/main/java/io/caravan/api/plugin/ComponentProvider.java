package io.caravan.api.plugin;

import org.apache.camel.Component;
import org.pf4j.ExtensionPoint;

/**
 * Contributes a whole Camel component under its own scheme, for sources and sinks that need
 * connection management. The runtime registers it with {@code CamelContext.addComponent} (Camel
 * cannot discover components inside plugin jars) and removes it when the plugin unloads.
 */
public interface ComponentProvider extends ExtensionPoint {

    /** The URI scheme, unique across plugins and Camel's own components. */
    String scheme();

    /** One line: what the component does. */
    String description();

    /** A new, unstarted component instance. */
    Component create();
}
