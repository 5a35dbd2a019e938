package io.caravan.netflow.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.caravan.netflow.session.InMemoryTemplateStore;
import io.caravan.netflow.session.SamplingStore;
import io.caravan.netflow.session.TemplateBudget;
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
import java.util.stream.Stream;
import org.slf4j.helpers.NOPLogger;

/**
 * The template file loader, coverage-guided, on bytes written to a file. Input: the file's bytes, then the body
 * of a data set (see {@link #encode}). Properties:
 * <ul>
 *   <li>the loader accepts the file or sets it aside (renamed {@code .rejected-<time>}), after which nothing
 *       was loaded; no exception, and the stores stay within their budgets (template bytes in total and per
 *       exporter, fields per template, sampling entries);</li>
 *   <li>what it loaded saves (all of it: it fits in {@code maxTemplateFileSize} since the file it came from
 *       did) and loads back to the same templates and sampling values;</li>
 *   <li>a stage started from the file decodes a data set for each loaded template (the fuzzed body) under
 *       {@link NetflowFuzzHarness}'s properties.</li>
 * </ul>
 */
class TemplateFileFuzzTest {
    /** Data sets sent to the stage, at most: one per loaded template. */
    private static final int MAX_DATA = 4;
    /** Largest template file loaded or saved: below the largest fuzzed file (64 KiB), so inputs pass it. */
    private static final long MAX_FILE_BYTES = 32 * 1024;
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
        SamplingStore sampling = sampling(clock);
        if (!load(file, templates, sampling, clock)) {
            assertThat(templates.size()).as("templates loaded from a refused file").isZero();
            assertThat(sampling.rates()).as("sampling rates loaded from a refused file").isEmpty();
            assertThat(sampling.sysInits()).as("init times loaded from a refused file").isEmpty();
            return -1;
        }
        assertThat(templates.bytes()).as("template bytes loaded").isLessThanOrEqualTo(NetflowFuzzHarness.MAX_TEMPLATE_BYTES);
        for (TemplateStore.Entry e : templates.entries()) {
            assertThat(templates.bytesOf(e.exporter())).as("template bytes loaded for %s", e.exporter())
                    .isLessThanOrEqualTo(NetflowFuzzHarness.MAX_TEMPLATE_BYTES_PER_EXPORTER);
            assertThat(e.template().template().fields()).as("fields of a loaded template")
                    .hasSizeLessThanOrEqualTo(NetflowFuzzHarness.MAX_TEMPLATE_FIELDS);
        }
        assertThat(sampling.size()).as("sampling values loaded").isLessThanOrEqualTo(SamplingStore.MAX_ENTRIES);

        Path again = DIR.resolve("saved.bin");
        assertThat(file(again, clock).save(templates, sampling)).as("templates saved of those loaded")
                .isEqualTo(templates.size());
        TemplateStore reloaded = store(clock);
        SamplingStore resampled = sampling(clock);
        assertThat(load(again, reloaded, resampled, clock)).as("the saved file is loaded again").isTrue();
        assertThat(contents(reloaded)).as("templates after save and load").isEqualTo(contents(templates));
        assertThat(resampled.rates()).as("sampling rates after save and load").isEqualTo(sampling.rates());
        assertThat(resampled.sysInits()).as("init times after save and load").isEqualTo(sampling.sysInits());

        decodeWith(file, templates.entries(), body);
        return templates.size();
    }

    /**
     * The one call into the loader. A refused file is set aside (renamed {@code <name>.rejected-<time>}); the
     * clock does not move, so an earlier set-aside copy is removed first, and this one after.
     *
     * @return false when the loader set the file aside
     */
    private static boolean load(Path file, TemplateStore templates, SamplingStore sampling, SettableClock clock)
            throws IOException {
        removeSetAside(file);
        file(file, clock).load(templates, sampling);
        boolean kept = Files.exists(file);
        boolean setAside = removeSetAside(file);
        assertThat(kept).as("the file is where it was unless it was set aside").isNotEqualTo(setAside);
        return kept;
    }

    /** Deletes the set-aside copies of {@code file}; true when there was one. */
    private static boolean removeSetAside(Path file) throws IOException {
        String prefix = file.getFileName() + ".rejected-";
        boolean any = false;
        try (Stream<Path> files = Files.list(file.getParent())) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                Files.delete(p);
                any = true;
            }
        }
        return any;
    }

    private static TemplateFile file(Path path, SettableClock clock) {
        return new TemplateFile(path, MAX_FILE_BYTES, clock, NOPLogger.NOP_LOGGER);
    }

    /** A store with the stage's budget in {@link NetflowFuzzHarness}; templates never expire. */
    private static TemplateStore store(SettableClock clock) {
        return new InMemoryTemplateStore(clock, 0, new TemplateBudget(NetflowFuzzHarness.MAX_TEMPLATE_FIELDS,
                NetflowFuzzHarness.MAX_TEMPLATE_BYTES_PER_EXPORTER, NetflowFuzzHarness.MAX_TEMPLATE_BYTES),
                TemplateStore.EvictionListener.NONE);
    }

    /** A sampling store as the stage makes it. */
    private static SamplingStore sampling(SettableClock clock) {
        return new SamplingStore(clock, SamplingStore.MAX_ENTRIES, SamplingStore.MAX_PER_ADDRESS);
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
                "templateKeyIncludesPort", String.valueOf(byPort), "templateSaveInterval", "0s",
                "maxTemplateFileSize", String.valueOf(MAX_FILE_BYTES)))) {
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
