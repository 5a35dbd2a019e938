package io.caravan.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.testkit.PluginJarBuilder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A jar is measured before it is trusted: its size, what its entries declare, what they really inflate to. */
class PluginLimitsTest {
    private static final String INDEX = "META-INF/extensions.idx";
    /** More than a gigabyte once inflated, about a megabyte on disk. */
    private static final long BOMB_BYTES = (1L << 30) + 1;

    @TempDir
    Path tmp;

    private Path jars;
    private Path staging;
    private PluginHost host;

    @BeforeEach
    void setUp() throws IOException {
        jars = Files.createDirectories(tmp.resolve("plugins"));
        staging = tmp.resolve("staging");
        host = new PluginHost(staging, "0.1.0");
    }

    @AfterEach
    void tearDown() {
        host.close();
    }

    private Path taggerJar(String file) {
        return PluginJarBuilder.plugin("tagger", "1.0.0")
                .source("com.example.tag.TagStage", PluginJarBuilder.taggingStage("com.example.tag", "TagStage", "tag", "color", "blue"))
                .build(jars.resolve(file));
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private long stagedFiles() throws IOException {
        try (Stream<Path> s = Files.list(staging)) {
            return s.count();
        }
    }

    private Path bomb(Path good, String file) {
        return PluginJarBuilder.zipBomb(good, jars.resolve(file), BOMB_BYTES, null);
    }

    @Test
    void aJarOverTheJarLimitIsRefusedBeforeItIsCopied() throws Exception {
        Path jar = taggerJar("tagger.jar");
        long size = Files.size(jar);
        host.close();
        host = new PluginHost(staging, "0.1.0", new PluginLimits(1000, 1 << 20));

        assertThatThrownBy(() -> host.load(jar)).isInstanceOf(PluginLoadException.class)
                .hasMessage("tagger.jar: " + size + " bytes is over the plugin jar limit of 1000 bytes (caravan.plugins.max.jar.bytes)");
        assertThat(stagedFiles()).isZero();
        assertThat(host.plugins()).isEmpty();
    }

    @Test
    void anIndexThatDeclaresAGigabyteIsRefusedWithoutInflatingIt() throws Exception {
        Path good = taggerJar("good.jar");
        long indexBytes;
        try (ZipFile z = new ZipFile(good.toFile())) {
            indexBytes = z.getEntry(INDEX).getSize();
        }
        Path jar = bomb(good, "bomb.jar");
        try (ZipFile z = new ZipFile(jar.toFile())) {
            assertThat(z.getEntry(INDEX).getSize()).isEqualTo(indexBytes + BOMB_BYTES);
        }
        assertThat(Files.size(jar)).isLessThan(4L << 20);

        long before = allocatedByThisThread();
        assertThatThrownBy(() -> host.load(jar)).isInstanceOf(PluginLoadException.class)
                .hasMessage("bomb.jar!/" + INDEX + ": a declared " + (indexBytes + BOMB_BYTES)
                        + " bytes is over the plugin jar limit of 134217728 bytes (caravan.plugins.max.jar.bytes)");
        assertThat(allocatedByThisThread() - before).isLessThan(32L << 20);
        assertThat(stagedFiles()).isZero();
    }

    @Test
    void anIndexWhoseHeaderLiesIsCutOffByCountingWhatItInflatesTo() throws Exception {
        Path jar = PluginJarBuilder.zipBomb(taggerJar("good.jar"), jars.resolve("liar.jar"), BOMB_BYTES, 100);
        try (ZipFile z = new ZipFile(jar.toFile())) {
            assertThat(z.getEntry(INDEX).getSize()).isEqualTo(100);
        }

        long before = allocatedByThisThread();
        assertThatThrownBy(() -> host.load(jar)).isInstanceOf(PluginLoadException.class)
                .hasMessage("liar.jar!/" + INDEX + ": more than 1048576 bytes is over the plugin jar entry limit of 1048576 bytes"
                        + " (caravan.plugins.max.entry.bytes)");
        assertThat(allocatedByThisThread() - before).as("bytes allocated refusing a 1 GB index").isLessThan(32L << 20);
        assertThat(stagedFiles()).isZero();
        assertThat(host.pluginIdOf(taggerJar("again.jar"))).isEqualTo("tagger");
        assertThatThrownBy(() -> host.pluginIdOf(jar)).hasMessageContaining("caravan.plugins.max.entry.bytes");
    }

    @Test
    void aJarWithinTheLimitsLoadsAsBefore() throws Exception {
        LoadedPlugin p = host.load(taggerJar("tagger.jar"));

        assertThat(p.contributions().stageNames()).containsExactly("tag");
        assertThat(((IsolatingPluginClassLoader) p.classLoader()).jar()).isEqualTo("tagger.jar");
    }
}
