package io.caravan.server.reload;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Predicate;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.DefaultExchange;

/**
 * Evaluates the routes' {@code precondition}s (Camel's simple language, placeholders resolved
 * first) the way Camel does when it adds routes, so the server can say which routes are off and
 * why instead of letting them vanish. A shipped route that needs a setting is written
 * {@code precondition: "${properties:caravan.kafka.brokers:} != ''"}: it stays off, without an
 * error, until the setting is given.
 */
public final class Preconditions {
    private Preconditions() {
    }

    /** The routes whose precondition is false, by id, each with its precondition text. */
    public static Map<String, String> off(CamelContext camel, Path file, List<RouteDefinition> routes) throws RouteFileException {
        Map<String, String> off = new LinkedHashMap<>();
        for (RouteDefinition r : routes) {
            String text = r.getPrecondition();
            if (text == null || text.isBlank()) {
                continue;
            }
            boolean on;
            try {
                String resolved = camel.resolvePropertyPlaceholders(text);
                Predicate p = camel.resolveLanguage("simple").createPredicate(resolved);
                p.init(camel);
                on = p.matches(new DefaultExchange(camel));
            } catch (RuntimeException e) {
                throw new RouteFileException(file.getFileName() + ": route '" + r.getId() + "': precondition '" + text
                        + "' cannot be evaluated: " + RouteFileParser.describe(e), e);
            }
            if (!on) {
                off.put(r.getId(), text);
            }
        }
        return off;
    }
}
