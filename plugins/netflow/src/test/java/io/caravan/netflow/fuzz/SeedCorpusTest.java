package io.caravan.netflow.fuzz;

import io.caravan.testkit.fuzz.DatagramSequence;
import io.caravan.testkit.fuzz.ReplayInput;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kept seed corpus of the netflow fuzz targets: every target has seeds, and each seed, read as Jazzer hands it
 * to the target ({@link ReplayInput}), reaches the decoder (decodes records, or loads templates). With
 * {@code -Dcaravan.fuzz.writeSeeds=true} it first rewrites the {@code seed-*} files in the source tree from
 * {@link NetflowSeeds} (crashers and other kept inputs are left alone); rerun it to check what it wrote.
 */
class SeedCorpusTest {
    private static final Path SOURCE = Path.of("src", "test", "resources", "io", "caravan", "netflow", "fuzz");

    /** Checks one kept input; returns how much of it reached the decoder (records or templates). */
    private interface Replay {
        long run(FuzzedDataProvider in) throws Exception;
    }

    private interface Seeds {
        Map<String, byte[]> make(Path scratch) throws Exception;
    }

    private record Target(String inputs, Seeds seeds, Replay replay) {
    }

    private static List<Target> targets() {
        return List.of(
                new Target("NetflowV5FuzzTestInputs/datagramSequence", d -> NetflowSeeds.v5(),
                        in -> NetflowFuzzHarness.replay(DatagramSequence.read(in).withVersion(5, 2))),
                new Target("NetflowV9FuzzTestInputs/datagramSequence", d -> NetflowSeeds.v9(),
                        in -> NetflowFuzzHarness.replay(DatagramSequence.read(in).withVersion(9, 2))),
                new Target("IpfixFuzzTestInputs/datagramSequence", d -> NetflowSeeds.ipfix(),
                        in -> NetflowFuzzHarness.replay(DatagramSequence.read(in).withVersion(10, 2))),
                new Target("TemplateFileFuzzTestInputs/load", NetflowSeeds::templateFiles,
                        TemplateFileFuzzTest::check));
    }

    /** Rewrites the {@code seed-*} files in the source tree from {@link NetflowSeeds}. */
    private static void writeSeeds(Path scratch) throws Exception {
        for (Target t : targets()) {
            Path dir = Files.createDirectories(SOURCE.resolve(t.inputs()));
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.filter(p -> p.getFileName().toString().startsWith("seed-")).toList()) {
                    Files.delete(p);
                }
            }
            for (Map.Entry<String, byte[]> s : t.seeds().make(scratch).entrySet()) {
                Files.write(dir.resolve("seed-" + s.getKey()), s.getValue());
            }
        }
    }

    @Test
    void everySeedReachesTheDecoder(@TempDir Path scratch) throws Exception {
        if (Boolean.getBoolean("caravan.fuzz.writeSeeds")) {
            writeSeeds(scratch);
        }
        for (Target t : targets()) {
            List<Path> seeds = kept(t.inputs()).stream()
                    .filter(p -> p.getFileName().toString().startsWith("seed-")).toList();
            assertThat(seeds).as("seeds of %s", t.inputs()).hasSizeGreaterThanOrEqualTo(t.seeds().make(scratch).size());
            for (Path seed : seeds) {
                assertThat(t.replay().run(ReplayInput.of(Files.readAllBytes(seed)))).as("%s reaches the decoder", seed)
                        .isPositive();
            }
        }
    }

    /** The kept inputs of a target as the test class path holds them. */
    private static List<Path> kept(String inputs) throws IOException, URISyntaxException {
        URL url = SeedCorpusTest.class.getResource(inputs);
        assertThat(url).as("inputs directory %s on the test class path", inputs).isNotNull();
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.sorted().toList();
        }
    }
}
