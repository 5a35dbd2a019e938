package io.caravan.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shipped config/caravan.properties and {@link Setting#ALL} are one list written twice: every
 * setting appears there with its default, under its doc line, and the file sets nothing else.
 */
class ShippedConfigDocumentedTest {
    /** From the module directory, where the build runs the tests. */
    private static final Path SHIPPED = Path.of("../../config/caravan.properties");

    private static List<String> lines() throws IOException {
        assertThat(SHIPPED).as("the shipped config file").isRegularFile();
        return Files.readAllLines(SHIPPED, StandardCharsets.UTF_8);
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
    void theFileSetsNothingButTheSettings() throws IOException {
        Set<String> known = Setting.ALL.stream().map(Setting::key).collect(Collectors.toSet());

        List<String> keys = lines().stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.substring(0, l.indexOf('=')).strip())
                .toList();

        assertThat(keys).containsExactlyInAnyOrderElementsOf(known);
    }
}
