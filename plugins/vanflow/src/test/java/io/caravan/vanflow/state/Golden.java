package io.caravan.vanflow.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Expected JSON kept in src/test/resources/golden/<name>.json. Run with {@code -Dcaravan.golden=write}
 * to (re)write them after a deliberate change, then review the diff: they are the contract.
 */
public final class Golden {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Path DIR = Path.of("src", "test", "resources", "golden");

    private Golden() {
    }

    public static void assertMatches(String name, Object actual) {
        try {
            JsonNode got = JSON.valueToTree(actual);
            Path file = DIR.resolve(name + ".json");
            if ("write".equals(System.getProperty("caravan.golden"))) {
                Files.createDirectories(DIR);
                Files.writeString(file, JSON.writeValueAsString(got) + "\n");
            }
            assertThat(file).as("golden file " + file + " (write it with -Dcaravan.golden=write)").exists();
            JsonNode want = JSON.readTree(file.toFile());
            assertThat(JSON.writeValueAsString(got)).as(name).isEqualTo(JSON.writeValueAsString(want));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static JsonNode tree(Object o) {
        return JSON.valueToTree(o);
    }
}
