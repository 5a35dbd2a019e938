package io.caravan.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.caravan.server.Offline;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code caravan plugins}: the plugins in plugins/, their stages and components with every option
 * (type, default, allowed values, doc), and their beans.
 */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List plugins, their stages and components (with every option: type, default, allowed values,"
                + " doc) and beans.")
final class PluginsCommand implements Callable<Integer> {
    @ParentCommand
    Caravan parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print JSON, as the admin API does.")
    boolean json;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Offline offline = new Offline(parent.config())) {
            List<Map<String, Object>> plugins = offline.runtime().views().plugins();
            List<Map<String, Object>> stages = offline.runtime().views().stages();
            if (json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(
                        Map.of("plugins", plugins, "stages", stages, "rejected", offline.pluginErrors())));
            } else {
                for (Map<String, Object> p : plugins) {
                    out.printf("%s %s (%s)%n  %s%n", p.get("id"), p.get("version"), p.get("file"), p.get("description"));
                    for (Map<String, Object> s : stages) {
                        if (!s.get("plugin").equals(p.get("id"))) {
                            continue;
                        }
                        out.printf("  stage %s: %s -> %s%n    %s%n", s.get("name"), s.get("input"), s.get("output"), s.get("description"));
                        printOptions(out, (List<Map<String, Object>>) s.get("options"));
                    }
                    for (Map<String, Object> c : (List<Map<String, Object>>) p.get("components")) {
                        out.printf("  component %s:%n    %s%n", c.get("scheme"), c.get("description"));
                        printOptions(out, (List<Map<String, Object>>) c.get("options"));
                    }
                    ((Map<String, String>) p.get("beans")).forEach((name, doc) -> out.printf("  bean %s: %s%n", name, doc));
                }
                offline.pluginErrors().forEach(e -> out.println("rejected: " + e));
            }
            out.flush();
            return offline.pluginErrors().isEmpty() ? 0 : 1;
        }
    }

    /** One line per option: name, type, default (or required), the allowed values when restricted, the doc. */
    private static void printOptions(PrintWriter out, List<Map<String, Object>> options) {
        for (Map<String, Object> o : options) {
            String value = Boolean.TRUE.equals(o.get("required")) ? "required"
                    : "default " + (o.get("default") == null ? "-" : o.get("default"));
            String allowed = (String) o.get("allowed");
            out.printf("      %-22s %-14s %-20s %s%s%n", o.get("name"), o.get("type"), value,
                    allowed.isEmpty() ? "" : "allowed " + allowed + "; ", o.get("doc"));
        }
    }
}
