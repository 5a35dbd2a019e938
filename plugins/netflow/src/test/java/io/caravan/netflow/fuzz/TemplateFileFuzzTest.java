package io.caravan.netflow.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.caravan.netflow.session.InMemoryTemplateStore;
import io.caravan.netflow.session.SamplingStore;
import io.caravan.netflow.session.TemplateFile;
import io.caravan.netflow.session.TemplateStore;
import io.caravan.testkit.SettableClock;
import io.caravan.traffic.datagram.IpfixBuilder;
import io.caravan.traffic.datagram.NetflowV9Builder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The template file loader, coverage-guided, on bytes written to a file. Input: the file's bytes, then the body
 * of a data set (see {@link #encode}). Properties:
 * <ul>
 *   <li>the loader accepts the file or refuses it with an IOException, after which nothing was loaded; no
 *       unchecked exception, and the stores stay within their caps;</li>
 *   <li>what it loaded saves and loads back to the same templates and sampling values;</li>
 *   <li>a stage started from the file decodes a data set for each loaded template (the fuzzed body) under
 *       {@link NetflowFuzzHarness}'s properties.</li>
 * </ul>
 */
class TemplateFileFuzzTest {
    /** Data sets sent to the stage, at most: one per loaded template. */
    private static final int MAX_DATA = 4;
    private static final Path DIR = tempDir();

    @FuzzTest(maxDuration = "1m")
    void load(FuzzedDataProvider in) throws Exception {
        check(in);
    }

    /**
     * Checks one input.
     *
     * @return templates loaded; -1 when the loader refused the file
     */
    static int check(FuzzedDataProvider in) throws Exception {
        byte[] bytes = in.consumeBytes(in.consumeInt(0, 0xFFFF));
        byte[] body = in.consumeRemainingAsBytes();
        Path file = DIR.resolve("templates.bin");
        Files.write(file, bytes);

        SettableClock clock = new SettableClock(NetflowFuzzHarness.START_MS);
        TemplateStore templates = store(clock);
        SamplingStore sampling = new SamplingStore(NetflowFuzzHarness.MAX_SAMPLING_ENTRIES);
        try {
            load(file, templates, sampling);
        } catch (IOException refused) {
            assertThat(templates.size()).as("templates loaded from a refused file").isZero();
            assertThat(sampling.rates()).as("sampling rates loaded from a refused file").isEmpty();
            assertThat(sampling.sysInits()).as("init times loaded from a refused file").isEmpty();
            return -1;
        }
        assertThat(templates.size()).as("templates loaded").isLessThanOrEqualTo(NetflowFuzzHarness.MAX_TEMPLATES);
        assertThat(sampling.rates().size() + sampling.sysInits().size()).as("sampling values loaded")
                .isLessThanOrEqualTo(2 * NetflowFuzzHarness.MAX_SAMPLING_ENTRIES);

        Path again = DIR.resolve("saved.bin");
        save(again, templates, sampling);
        TemplateStore reloaded = store(clock);
        SamplingStore resampled = new SamplingStore(NetflowFuzzHarness.MAX_SAMPLING_ENTRIES);
        load(again, reloaded, resampled);
        assertThat(contents(reloaded)).as("templates after save and load").isEqualTo(contents(templates));
        assertThat(resampled.rates()).as("sampling rates after save and load").isEqualTo(sampling.rates());
        assertThat(resampled.sysInits()).as("init times after save and load").isEqualTo(sampling.sysInits());

        decodeWith(file, templates.entries(), body);
        return templates.size();
    }

    /** The one call into the loader. */
    private static void load(Path file, TemplateStore templates, SamplingStore sampling) throws IOException {
        new TemplateFile(file).load(templates, sampling);
    }

    private static void save(Path file, TemplateStore templates, SamplingStore sampling) throws IOException {
        new TemplateFile(file).save(templates, sampling);
    }

    /** A store with the stage's caps in {@link NetflowFuzzHarness}; templates never expire. */
    private static TemplateStore store(SettableClock clock) {
        return new InMemoryTemplateStore(clock, 0, NetflowFuzzHarness.MAX_TEMPLATES_PER_EXPORTER,
                NetflowFuzzHarness.MAX_TEMPLATES);
    }

    private static Set<List<Object>> contents(TemplateStore store) {
        Set<List<Object>> out = new HashSet<>();
        for (TemplateStore.Entry e : store.entries()) {
            out.add(List.of(e.exporter(), e.key(), e.template().template(), e.lastSeenMs()));
        }
        return out;
    }

    /** Starts a stage from the file and sends it a data set for each of (at most 4) loaded templates. */
    private static void decodeWith(Path file, List<TemplateStore.Entry> loaded, byte[] body) throws Exception {
        boolean byPort = !loaded.isEmpty() && loaded.get(0).exporter().port() >= 0;
        // Templates kept forever (config bit 2), keyed as the first loaded one is.
        try (NetflowFuzzHarness h = NetflowFuzzHarness.start(4, Map.of("templateFile", file.toString(),
                "templateKeyIncludesPort", String.valueOf(byPort), "templateSaveInterval", "0s"))) {
            int sent = 0;
            for (TemplateStore.Entry e : loaded) {
                if (sent == MAX_DATA || e.exporter().address() == null) {
                    continue;
                }
                int version = e.key().version();
                long domain = e.key().domain();
                int id = e.key().templateId();
                byte[] datagram = null;
                if (version == NetflowV9Builder.VERSION) {
                    datagram = new NetflowV9Builder().sourceId(domain).rawFlowSet(id, body).build();
                } else if (version == IpfixBuilder.VERSION) {
                    datagram = new IpfixBuilder().observationDomain(domain).rawSet(id, body).build();
                }
                if (datagram != null && datagram.length <= 0xFFFF) {
                    h.feed(datagram, new InetSocketAddress(e.exporter().address(),
                            Math.max(0, e.exporter().port()) & 0xFFFF));
                    sent++;
                }
            }
            h.assertStateBounded();
        }
    }

    /** The input that {@link #load} reads as this file and this data set body, for the seed corpus. */
    static byte[] encode(byte[] file, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(file);
        out.writeBytes(body);
        out.write(file.length & 0xFF);
        out.write(file.length >>> 8);
        return out.toByteArray();
    }

    private static Path tempDir() {
        try {
            return Files.createDirectories(Path.of("target", "fuzz-template-files"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
