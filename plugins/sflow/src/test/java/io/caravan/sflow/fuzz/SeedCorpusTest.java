package io.caravan.sflow.fuzz;

import io.caravan.testkit.fuzz.DatagramSequence;
import io.caravan.testkit.fuzz.ReplayInput;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kept seed corpus of the sFlow fuzz target: it has seeds, and each seed, read as Jazzer hands it to the
 * target ({@link ReplayInput}), decodes to records. With {@code -Dcaravan.fuzz.writeSeeds=true} it first
 * rewrites the {@code seed-*} files in the source tree from {@link SflowSeeds} (crashers and other kept inputs
 * are left alone); rerun it to check what it wrote.
 */
class SeedCorpusTest {
    private static final String INPUTS = "SflowFuzzTestInputs/datagramSequence";
    private static final Path SOURCE = Path.of("src", "test", "resources", "io", "caravan", "sflow", "fuzz");

    /** Rewrites the {@code seed-*} files in the source tree from {@link SflowSeeds}. */
    private static void writeSeeds() throws Exception {
        Path dir = Files.createDirectories(SOURCE.resolve(INPUTS));
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith("seed-")).toList()) {
                Files.delete(p);
            }
        }
        for (Map.Entry<String, byte[]> s : SflowSeeds.datagramSequences().entrySet()) {
            Files.write(dir.resolve("seed-" + s.getKey()), s.getValue());
        }
    }

    @Test
    void everySeedReachesTheDecoder() throws Exception {
        if (Boolean.getBoolean("caravan.fuzz.writeSeeds")) {
            writeSeeds();
        }
        List<Path> seeds = kept().stream().filter(p -> p.getFileName().toString().startsWith("seed-")).toList();
        assertThat(seeds).as("seeds of %s", INPUTS).hasSizeGreaterThanOrEqualTo(SflowSeeds.datagramSequences().size());
        for (Path seed : seeds) {
            long records = SflowFuzzHarness.replay(DatagramSequence.read(ReplayInput.of(Files.readAllBytes(seed)))
                    .withVersion(5, 4));
            assertThat(records).as("%s decodes to records", seed).isPositive();
        }
    }

    /** The kept inputs as the test class path holds them. */
    private static List<Path> kept() throws IOException, URISyntaxException {
        URL url = SeedCorpusTest.class.getResource(INPUTS);
        assertThat(url).as("inputs directory %s on the test class path", INPUTS).isNotNull();
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.sorted().toList();
        }
    }
}
