package io.caravan.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped config/caravan.properties is the one list of settings operators script against:
 * the server's own settings ({@link Setting#ALL}) with their defaults, and every {@code caravan.*}
 * key a shipped or example route reads (which is also what makes it overridable by environment variable), each
 * under a one-line doc comment; nothing else.
 */
class ShippedConfigDocumentedTest {
    /** From the module directory, where the build runs the tests. */
    private static final Path SHIPPED = Path.of("../../config/caravan.properties");
    /** The shipped routes, and the example routes an operator copies into routes/. */
    private static final List<Path> ROUTE_DIRS = List.of(Path.of("../../routes"), Path.of("../../examples"));
    /** {{caravan.x}}, {{caravan.x:default}}, {{?caravan.x}} and ${properties:caravan.x:default}. */
    private static final Pattern USE = Pattern.compile("(?:\\{\\{\\??|\\$\\{properties:)(caravan\\.[a-z0-9.-]+)");

    private static List<String> lines() throws IOException {
        assertThat(SHIPPED).as("the shipped config file").isRegularFile();
        return Files.readAllLines(SHIPPED, StandardCharsets.UTF_8);
    }

    private static List<String> keys() throws IOException {
        return lines().stream().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.substring(0, l.indexOf('=')).strip()).toList();
    }

    /** Every caravan.* key the shipped and example route files read. */
    private static Set<String> usedByRoutes() throws IOException {
        Set<String> used = new TreeSet<>();
        for (Path dir : ROUTE_DIRS) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    Matcher m = USE.matcher(Files.readString(f, StandardCharsets.UTF_8));
                    while (m.find()) {
                        used.add(m.group(1));
                    }
                }
            }
        }
        return used;
    }

    @Test
    void everySettingAppearsWithItsDefaultUnderItsDocLine() throws IOException {
        List<String> lines = lines();

        for (Setting s : Setting.ALL) {
            String entry = s.key() + "=" + s.defaultValue();
            int at = lines.indexOf(entry);
            assertThat(at).as("line '%s' in %s", entry, SHIPPED).isPositive();
            assertThat(lines.get(at - 1)).as("the line above %s", entry).isEqualTo("# " + s.doc());
        }
    }

    @Test
    void everyKeyARouteReadsIsInTheFile() throws IOException {
        assertThat(keys()).as("keys in %s", SHIPPED).containsAll(usedByRoutes());
    }

    @Test
    void theFileSetsOnlySettingsAndWhatRoutesRead() throws IOException {
        Set<String> known = Setting.ALL.stream().map(Setting::key).collect(Collectors.toCollection(TreeSet::new));
        known.addAll(usedByRoutes());

        assertThat(keys()).as("keys in %s that neither the server nor a shipped route reads", SHIPPED)
                .doesNotHaveDuplicates().allMatch(known::contains);
    }

    @Test
    void everyKeyHasADocCommentAbove() throws IOException {
        List<String> lines = lines();
        List<String> undocumented = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.isBlank() && !l.startsWith("#") && (i == 0 || !lines.get(i - 1).startsWith("# "))) {
                undocumented.add(l);
            }
        }
        assertThat(undocumented).as("settings without a '# ...' line right above").isEmpty();
    }
}
