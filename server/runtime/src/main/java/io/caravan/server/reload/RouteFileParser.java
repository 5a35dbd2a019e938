package io.caravan.server.reload;

import io.caravan.server.log.SecretMask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import io.caravan.server.stage.StageSetupException;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.DefaultRouteTemplateContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.apache.camel.model.RoutesDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.model.TemplatedRouteParameterDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Parses a YAML route file into route definitions without adding them to Camel. Routes without an
 * id get one from the file name ({@code flows.yaml} → {@code flows}, {@code flows-2}, ...), so a
 * file's routes can always be found and swapped.
 *
 * <p>A file may hold {@code routeTemplate}s and {@code templatedRoute}s that instantiate them. The
 * templates belong to their file: each {@code templatedRoute} is expanded here into a plain route
 * definition (its parameters resolved as {@code {{name}}} placeholders when the route is created,
 * as Camel's own templates are), so a templated file reloads, validates and shows its route ids
 * like any other, and its templates never enter Camel's global template list.
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
        Map<String, RouteTemplateDefinition> templates = new LinkedHashMap<>();
        List<TemplatedRouteDefinition> instances = new ArrayList<>();
        try {
            for (RoutesBuilder b : PluginHelper.getRoutesLoader(camel).findRoutesBuilders(resource)) {
                if (b instanceof RouteBuilder rb) {
                    routes.addAll(rb.configureRoutes(camel).getRoutes());
                    for (RouteTemplateDefinition t : rb.getRouteTemplateCollection().getRouteTemplates()) {
                        if (templates.put(t.getId(), t) != null) {
                            throw new RouteFileException(file.getFileName() + ": routeTemplate '" + t.getId()
                                    + "' is defined twice", null);
                        }
                    }
                    instances.addAll(rb.getTemplatedRouteCollection().getTemplatedRoutes());
                }
            }
        } catch (RouteFileException e) {
            throw e;
        } catch (Exception e) {
            throw new RouteFileException(file.getFileName() + ": cannot parse: " + describe(e), e);
        }
        for (TemplatedRouteDefinition instance : instances) {
            routes.add(instantiate(file, templates, instance));
        }
        if (routes.isEmpty()) {
            throw new RouteFileException(file.getFileName() + ": the file defines no routes"
                    + (templates.isEmpty() ? "" : " (a routeTemplate runs only through a templatedRoute)"), null);
        }
        assignIds(file, routes);
        return routes;
    }

    /**
     * One {@code templatedRoute} as a route: a copy of its template's route carrying the parameters
     * (the template's defaults, then the instance's values), as Camel's {@code addRouteFromTemplate}
     * builds it, but without adding it anywhere.
     */
    private RouteDefinition instantiate(Path file, Map<String, RouteTemplateDefinition> templates,
                                        TemplatedRouteDefinition instance) throws RouteFileException {
        String what = file.getFileName() + ": templatedRoute"
                + (instance.getRouteId() == null ? "" : " '" + instance.getRouteId() + "'");
        RouteTemplateDefinition template = templates.get(instance.getRouteTemplateRef());
        if (template == null) {
            throw new RouteFileException(what + " names routeTemplate '" + instance.getRouteTemplateRef()
                    + "', which this file does not define" + (templates.isEmpty() ? "" : " (it defines "
                    + String.join(", ", templates.keySet()) + ")") + "; templates are used in their own file only", null);
        }
        if (!orEmpty(template.getTemplateBeans()).isEmpty() || !orEmpty(instance.getBeans()).isEmpty()) {
            throw new RouteFileException(what + ": template beans are not supported in route files; contribute beans"
                    + " from a plugin (BeanProvider)", null);
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        Map<String, Object> defaults = new LinkedHashMap<>();
        Set<String> declared = new TreeSet<>();
        for (RouteTemplateParameterDefinition p : orEmpty(template.getTemplateParameters())) {
            declared.add(p.getName());
            if (p.getDefaultValue() != null) {
                parameters.put(p.getName(), p.getDefaultValue());
                defaults.put(p.getName(), p.getDefaultValue());
            }
        }
        for (TemplatedRouteParameterDefinition p : orEmpty(instance.getParameters())) {
            if (!declared.contains(p.getName())) {
                throw new RouteFileException(what + ": parameter '" + p.getName() + "' is not a parameter of routeTemplate '"
                        + template.getId() + "'; its parameters: " + (declared.isEmpty() ? "(none)" : String.join(", ", declared)), null);
            }
            parameters.put(p.getName(), p.getValue());
        }
        Set<String> missing = new TreeSet<>();
        for (RouteTemplateParameterDefinition p : orEmpty(template.getTemplateParameters())) {
            if (p.isRequired() && parameters.get(p.getName()) == null) {
                missing.add(p.getName());
            }
        }
        if (!missing.isEmpty()) {
            throw new RouteFileException(what + ": routeTemplate '" + template.getId() + "' needs parameter"
                    + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing), null);
        }
        RouteDefinition route = template.asRouteDefinition();
        route.setId(instance.getRouteId());
        if (instance.getGroup() != null) {
            route.setGroup(instance.getGroup());
        }
        if (instance.getPrefixId() != null) {
            route.setNodePrefixId(instance.getPrefixId());
        }
        route.setTemplateParameters(parameters);
        route.setTemplateDefaultParameters(defaults);
        DefaultRouteTemplateContext context = new DefaultRouteTemplateContext(camel);
        parameters.forEach(context::setParameter);
        route.setRouteTemplateContext(context);
        RoutesDefinition preparer = new RoutesDefinition();
        preparer.setCamelContext(camel);
        preparer.prepareRoute(route);
        return route;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
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
     * Why a file's routes did not start, in one line. A stage that refused its endpoint names
     * route, file, stage and option: {@code route 'collect-ipfix' (routes/collect.yaml): stage
     * 'decode-netflow': option 'x' must be 1 to 4096; got '0'}; anything else reads
     * {@code collect.yaml: routes failed to start: <the causes>}.
     */
    public static String startFailure(Path file, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StageSetupException s) {
                return (s.routeId() == null ? shortPath(file) : "route '" + s.routeId() + "' (" + shortPath(file) + ")")
                        + ": " + SecretMask.mask(s.detail());
            }
        }
        return file.getFileName() + ": routes failed to start: " + describe(e);
    }

    /** The file with its directory, as an operator knows it: {@code routes/collect.yaml}. */
    static String shortPath(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        return dir == null || dir.getFileName() == null ? file.getFileName().toString()
                : dir.getFileName() + "/" + file.getFileName();
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
