package io.caravan.api.plugin;

import java.util.Map;
import org.pf4j.ExtensionPoint;

/**
 * Contributes named beans (aggregation strategies, data formats, predicates, helpers) to the
 * Camel registry, used from YAML as {@code ref: name} or {@code #name}. Names are unique across
 * plugins; the runtime unbinds them when the plugin unloads (calling {@code close()} on beans that
 * are {@link AutoCloseable}).
 */
public interface BeanProvider extends ExtensionPoint {

    /** Bean name to bean; called once per plugin load, with the plugin's context. */
    Map<String, Object> beans(PluginContext context);

    /** Bean name to a one-line description, for {@code caravan plugins} and the admin API. */
    Map<String, String> descriptions();
}
