package io.caravan.server.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryWatcherTest {
    private static final Duration DEBOUNCE = Duration.ofMillis(200);
    /** Longer for the burst test, so a slow machine still writes the whole burst inside it. */
    private static final Duration BURST_DEBOUNCE = Duration.ofMillis(500);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** Each report with the System.nanoTime() it arrived at. */
    private final List<Report> reports = new CopyOnWriteArrayList<>();
    private DirectoryWatcher watcher;

    private record Report(Set<Path> paths, long atNanos) {
    }

    @AfterEach
    void tearDown() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private void watch(Predicate<Path> relevant) throws IOException {
        watch(relevant, DEBOUNCE);
    }

    private void watch(Predicate<Path> relevant, Duration debounce) throws IOException {
        watch(relevant, debounce, paths -> reports.add(new Report(paths, System.nanoTime())));
    }

    private void watch(Predicate<Path> relevant, Duration debounce, Consumer<Set<Path>> onChange) throws IOException {
        watcher = new DirectoryWatcher("test", dir, relevant, debounce, onChange);
        watcher.start();
    }

    private Set<Path> reported() {
        return reports.stream().flatMap(r -> r.paths().stream()).collect(Collectors.toSet());
    }

    @Test
    void aBurstOfWritesIsReportedOnceAfterItGoesQuiet() throws IOException {
        watch(p -> true, BURST_DEBOUNCE);
        Path file = dir.resolve("flows.yaml");

        long firstWrite = System.nanoTime();
        for (int i = 1; i <= 20; i++) {
            Files.writeString(file, "- route: # version " + i + "\n".repeat(i));
        }
        long lastWrite = System.nanoTime();
        assertThat(Duration.ofNanos(lastWrite - firstWrite)).as("the burst fits in the debounce period")
                .isLessThan(BURST_DEBOUNCE);
        assertThat(reports).as("nothing is reported while the file is still changing").isEmpty();

        await().atMost(PATIENCE).until(() -> !reports.isEmpty());
        await("no second report for the same burst").during(BURST_DEBOUNCE.multipliedBy(2)).atMost(PATIENCE)
                .until(() -> reports.size() == 1);
        Report only = reports.get(0);
        assertThat(only.paths()).containsExactly(file);
        assertThat(Duration.ofNanos(only.atNanos() - lastWrite)).isGreaterThanOrEqualTo(BURST_DEBOUNCE);
    }

    @Test
    void temporaryAndIrrelevantNamesAreIgnored() throws IOException {
        watch(RouteFileParser::isRouteFile);

        for (String name : List.of(".flows.yaml.tmp", "flows.yaml~", ".flows.yaml.swp", "flows.yaml.part", "flows.yaml.tmp",
                ".hidden.yaml", "notes.txt")) {
            Files.writeString(dir.resolve(name), "x");
        }
        Path real = Files.writeString(dir.resolve("flows.yaml"), "x");

        await().atMost(PATIENCE).until(() -> reported().contains(real));
        assertThat(reported()).containsExactly(real);
    }

    @Test
    void temporaryNamesAreThoseEditorsAndCopyToolsUse() {
        assertThat(DirectoryWatcher.isTemporary(Path.of("routes/.x.tmp"))).isTrue();
        assertThat(DirectoryWatcher.isTemporary(Path.of("routes/x~"))).isTrue();
        assertThat(DirectoryWatcher.isTemporary(Path.of("routes/.x.yaml.swp"))).isTrue();
        assertThat(DirectoryWatcher.isTemporary(Path.of("plugins/x.jar.part"))).isTrue();
        assertThat(DirectoryWatcher.isTemporary(Path.of("routes/x.yaml"))).isFalse();
        assertThat(DirectoryWatcher.isTemporary(Path.of("plugins/x.jar"))).isFalse();
        assertThat(DirectoryWatcher.isTemporary(Path.of("routes/tmp.yaml"))).isFalse();
    }

    @Test
    void aDeleteIsReported() throws IOException {
        Path file = Files.writeString(dir.resolve("gone.yaml"), "x");
        watch(p -> true);

        Files.delete(file);

        await().atMost(PATIENCE).until(() -> reported().contains(file));
        assertThat(reports).singleElement().extracting(Report::paths).isEqualTo(Set.of(file));
    }

    @Test
    void aFailingHandlerDoesNotStopTheWatcher() throws Exception {
        Path first = dir.resolve("first.yaml");
        CountDownLatch firstHandled = new CountDownLatch(1);
        CountDownLatch secondHandled = new CountDownLatch(1);
        watch(p -> true, DEBOUNCE, paths -> {
            if (paths.contains(first)) {
                firstHandled.countDown();
                throw new IllegalStateException("handler failed");
            }
            secondHandled.countDown();
        });
        Files.writeString(first, "x");
        assertThat(firstHandled.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        Files.writeString(dir.resolve("second.yaml"), "x");

        assertThat(secondHandled.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void closeStopsTheWatchThread() throws IOException {
        watch(p -> true);
        assertThat(watchThreads()).isNotEmpty();

        watcher.close();

        assertThat(watchThreads()).isEmpty();
    }

    private static List<Thread> watchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("caravan-watch-test") && t.isAlive()).toList();
    }
}
