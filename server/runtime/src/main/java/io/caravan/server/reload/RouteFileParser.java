package io.caravan.server.reload;

import io.caravan.server.log.SecretMask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Parses a YAML route file into route definitions without adding them to Camel. Routes without an
 * id get one from the file name ({@code flows.yaml} → {@code flows}, {@code flows-2}, ...), so a
 * file's routes can always be found and swapped.
 */
public final class RouteFileParser {
    private final CamelContext camel;

    public RouteFileParser(CamelContext camel) {
        this.camel = camel;
    }

    public static boolean isRouteFile(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    public List<RouteDefinition> parse(Path file, String text) throws RouteFileException {
        if (text.isBlank()) {
            throw new RouteFileException(file.getFileName() + ": the file is empty", null);
        }
        Resource resource = ResourceHelper.fromString("file:" + file.toAbsolutePath(), text);
        List<RouteDefinition> routes = new ArrayList<>();
        try {
            for (RoutesBuilder b : PluginHelper.getRoutesLoader(camel).findRoutesBuilders(resource)) {
                if (b instanceof RouteBuilder rb) {
                    routes.addAll(rb.configureRoutes(camel).getRoutes());
                }
            }
        } catch (Exception e) {
            throw new RouteFileException(file.getFileName() + ": cannot parse: " + describe(e), e);
        }
        if (routes.isEmpty()) {
            throw new RouteFileException(file.getFileName() + ": the file defines no routes", null);
        }
        assignIds(file, routes);
        return routes;
    }

    private static void assignIds(Path file, List<RouteDefinition> routes) throws RouteFileException {
        String base = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Set<String> used = new HashSet<>();
        for (RouteDefinition r : routes) {
            if (r.getId() != null && !used.add(r.getId())) {
                throw new RouteFileException(file.getFileName() + ": route id '" + r.getId() + "' is used twice", null);
            }
        }
        int n = 1;
        for (RouteDefinition r : routes) {
            if (r.getId() == null) {
                String id;
                do {
                    id = n == 1 ? base : base + "-" + n;
                    n++;
                } while (used.contains(id));
                used.add(id);
                r.setId(id);
            }
        }
    }

    /**
     * The chain of distinct causes, which is where Camel and SnakeYAML say what is actually wrong,
     * with secret-looking option values masked (Camel echoes unknown options in clear).
     */
    public static String describe(Throwable e) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable t = e; t != null && parts.size() < 6; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank()) {
                parts.add(m.strip());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        List<String> kept = new ArrayList<>();
        for (String p : parts) {
            // A cause's text is often repeated inside its wrapper's; keep only the new part.
            if (kept.stream().noneMatch(k -> k.contains(p))) {
                kept.removeIf(p::contains);
                kept.add(p);
            }
        }
        return SecretMask.mask(String.join(" <- ", kept).replaceAll("\\s*\\n\\s*", " "));
    }
}
