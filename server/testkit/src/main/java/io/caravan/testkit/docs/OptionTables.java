package io.caravan.testkit.docs;

import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.StageProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders a plugin's declared options as Markdown tables and puts them into its README between
 * markers, so the README never restates an option by hand:
 *
 * <pre>
 * &lt;!-- caravan:options:begin stage=decode-netflow --&gt;   one stage's options
 * &lt;!-- caravan:options:begin component=udp --&gt;          one component's options
 * &lt;!-- caravan:options:begin beans --&gt;                  the plugin's beans
 * &lt;!-- caravan:options:begin --&gt;                        all of it, with a heading line each
 * &lt;!-- caravan:options:end --&gt;
 * </pre>
 *
 * Everything between a begin and its end is generated; every stage and component of the plugin
 * must appear in some block.
 */
public final class OptionTables {
    static final String END = "<!-- caravan:options:end -->";
    private static final Pattern BEGIN = Pattern.compile(
            "<!-- caravan:options:begin(?:\\s+(stage|component)=([A-Za-z0-9._+-]+)|\\s+(beans))?\\s*-->");

    /** What a plugin contributes, as the docs show it. */
    public record Plugin(List<StageProvider<?, ?>> stages, List<ComponentProvider> components, Map<String, String> beans) {
        public Plugin {
            stages = stages.stream().sorted(Comparator.comparing(StageProvider::name)).toList();
            components = components.stream().sorted(Comparator.comparing(ComponentProvider::scheme)).toList();
            beans = new TreeMap<>(beans);
        }
    }

    /** The README's blocks are wrong in a way regenerating cannot fix (no markers, unknown names, unclosed). */
    public static final class MarkerException extends IllegalStateException {
        MarkerException(String message) {
            super(message);
        }
    }

    private OptionTables() {
    }

    /**
     * The README with every block regenerated.
     *
     * @param name how to name the README in errors
     * @throws MarkerException when the markers are missing, unclosed, name what the plugin lacks,
     *                         or leave a stage or component undocumented
     */
    public static String update(String name, String readme, Plugin plugin) {
        StringBuilder out = new StringBuilder();
        Set<String> covered = new LinkedHashSet<>();
        List<MatchResult> begins = BEGIN.matcher(readme).results().toList();
        int at = 0;
        int blocks = 0;
        for (int k = 0; k < begins.size(); k++) {
            MatchResult begin = begins.get(k);
            if (begin.start() < at) {
                continue;
            }
            int end = readme.indexOf(END, begin.end());
            if (end < 0 || (k + 1 < begins.size() && begins.get(k + 1).start() < end)) {
                throw new MarkerException(name + ": '" + begin.group() + "' has no " + END + " after it");
            }
            blocks++;
            out.append(readme, at, begin.end()).append("\n\n").append(render(name, begin, plugin, covered))
                    .append("\n\n").append(END);
            at = end + END.length();
        }
        out.append(readme.substring(at));
        if (blocks == 0) {
            throw new MarkerException(name + " has no '<!-- caravan:options:begin ... -->' ... '" + END + "' block; add one"
                    + " per stage and component (stage=NAME, component=SCHEME, beans) or one for all of them");
        }
        List<String> missing = new ArrayList<>();
        plugin.stages().forEach(s -> addIfMissing(missing, covered, "stage=" + s.name()));
        plugin.components().forEach(c -> addIfMissing(missing, covered, "component=" + c.scheme()));
        if (!plugin.beans().isEmpty()) {
            addIfMissing(missing, covered, "beans");
        }
        if (!missing.isEmpty()) {
            throw new MarkerException(name + " documents no options of " + String.join(", ", missing)
                    + "; add a '<!-- caravan:options:begin " + missing.get(0) + " -->' block");
        }
        return out.toString();
    }

    private static void addIfMissing(List<String> missing, Set<String> covered, String key) {
        if (!covered.contains(key)) {
            missing.add(key);
        }
    }

    private static String render(String name, MatchResult begin, Plugin plugin, Set<String> covered) {
        if (begin.group(3) != null) {
            covered.add("beans");
            return beans(plugin.beans());
        }
        if (begin.group(1) == null) {
            return all(plugin, covered);
        }
        String target = begin.group(2);
        if (begin.group(1).equals("stage")) {
            StageProvider<?, ?> stage = plugin.stages().stream().filter(s -> s.name().equals(target)).findFirst()
                    .orElseThrow(() -> new MarkerException(name + ": '" + begin.group() + "' names a stage the plugin does not"
                            + " contribute; its stages: " + names(plugin.stages().stream().map(StageProvider::name).toList())));
            covered.add("stage=" + target);
            return table(stage.options());
        }
        ComponentProvider component = plugin.components().stream().filter(c -> c.scheme().equals(target)).findFirst()
                .orElseThrow(() -> new MarkerException(name + ": '" + begin.group() + "' names a component the plugin does not"
                        + " contribute; its components: " + names(plugin.components().stream().map(ComponentProvider::scheme).toList())));
        covered.add("component=" + target);
        return table(component.options());
    }

    private static String names(List<String> names) {
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }

    private static String all(Plugin plugin, Set<String> covered) {
        List<String> parts = new ArrayList<>();
        for (StageProvider<?, ?> s : plugin.stages()) {
            parts.add("**Stage `" + s.name() + "`** (`" + s.inputType().getSimpleName() + "` → `"
                    + s.outputType().getSimpleName() + "`): " + cell(s.description()) + "\n\n" + table(s.options()));
            covered.add("stage=" + s.name());
        }
        for (ComponentProvider c : plugin.components()) {
            parts.add("**Component `" + c.scheme() + "`**: " + cell(c.description()) + "\n\n" + table(c.options()));
            covered.add("component=" + c.scheme());
        }
        if (!plugin.beans().isEmpty()) {
            parts.add("**Beans**\n\n" + beans(plugin.beans()));
            covered.add("beans");
        }
        return String.join("\n\n", parts);
    }

    /** One option per row: name, type, default (or "required"), allowed values, description. */
    public static String table(List<OptionSpec> options) {
        if (options.isEmpty()) {
            return "No options.";
        }
        StringBuilder t = new StringBuilder("| Option | Type | Default | Allowed | Description |\n|---|---|---|---|---|");
        for (OptionSpec o : options) {
            t.append("\n| `").append(o.name()).append("` | ").append(o.type().name().toLowerCase(Locale.ROOT))
                    .append(" | ").append(defaultCell(o)).append(" | ").append(allowedCell(o)).append(" | ")
                    .append(cell(o.doc())).append(" |");
        }
        return t.toString();
    }

    /** One bean per row: name and description. */
    public static String beans(Map<String, String> beans) {
        if (beans.isEmpty()) {
            return "No beans.";
        }
        return "| Bean | Description |\n|---|---|" + beans.entrySet().stream()
                .map(b -> "\n| `" + b.getKey() + "` | " + cell(b.getValue()) + " |").collect(Collectors.joining());
    }

    private static String defaultCell(OptionSpec o) {
        if (o.required()) {
            return "required";
        }
        return o.defaultValue() == null ? "—" : code(o.defaultValue());
    }

    private static String allowedCell(OptionSpec o) {
        if (o.type() == OptionType.CHOICE) {
            return o.choices().stream().map(OptionTables::code).collect(Collectors.joining(", "));
        }
        return o.allowed().isEmpty() ? "any" : cell(o.allowed());
    }

    private static String code(String value) {
        return value.isEmpty() ? "`\"\"`" : "`" + cell(value) + "`";
    }

    /** Text fit for one table cell: one line, pipes escaped. */
    private static String cell(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ").replace("|", "\\|");
    }

    /**
     * What changed, line by line: lines only in {@code before} start with '-', lines only in
     * {@code after} with '+', each with its line number in the file it comes from.
     */
    public static String diff(String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        StringBuilder d = new StringBuilder();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                i++;
                j++;
            } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                d.append(String.format(Locale.ROOT, "+%4d: %s%n", j + 1, b.get(j)));
                j++;
            } else {
                d.append(String.format(Locale.ROOT, "-%4d: %s%n", i + 1, a.get(i)));
                i++;
            }
        }
        return d.toString();
    }
}
