package io.caravan.server.reload;

import io.caravan.server.config.BoundedRead;
import io.caravan.server.config.Setting;
import io.caravan.server.plugin.Contributions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the routes of each route file and swaps them file by file: a changed file is parsed first,
 * only its routes are replaced, and if the new ones fail to start the previous version comes back.
 * Used from one thread at a time (the reload coordinator); methods are synchronized for readers.
 * What the admin API and health read ({@link #view}, {@link #fileOf}) is a snapshot published after
 * every change, so a reader never waits for a reload in progress.
 *
 * <p>A file over {@code caravan.routes.max.file.bytes} is refused without being read in full.
 *
 * <p>Camel 4.17's own route watcher is not used: it removes good routes on a bad edit
 * (CAMEL-24860, CAMEL-24866).
 */
public final class RouteFileController {
    private static final Logger LOG = LoggerFactory.getLogger(RouteFileController.class);

    /** ACTIVE: the file's current text runs. REJECTED: its current text was refused and the previous version runs. FAILED: none of it runs. */
    public enum Status { ACTIVE, REJECTED, FAILED }

    /**
     * What the admin API shows of one file. {@code off}: routes whose {@code precondition} is false
     * (by id, with the precondition), which Camel does not add; they are not an error.
     */
    public record FileView(String file, Status status, List<String> routes, Map<String, String> off, String error,
                           Instant updated) {
    }

    private static final class FileState {
        Status status;
        List<String> routeIds = List.of();
        Map<String, String> off = Map.of();
        String goodText;
        String error;
        Instant updated = Instant.now();
    }

    private final CamelContext camel;
    private final RouteFileParser parser;
    private final ReloadHistory history;
    private final long maxFileBytes;
    private final Map<Path, FileState> files = new TreeMap<>();
    private volatile List<FileView> snapshot = List.of();

    public RouteFileController(CamelContext camel, RouteFileParser parser, ReloadHistory history) {
        this(camel, parser, history, Long.parseLong(Setting.ROUTES_MAX_FILE_BYTES.defaultValue()));
    }

    /** @param maxFileBytes route files larger than this are refused ({@code caravan.routes.max.file.bytes}) */
    public RouteFileController(CamelContext camel, RouteFileParser parser, ReloadHistory history, long maxFileBytes) {
        this.camel = camel;
        this.parser = parser;
        this.history = history;
        this.maxFileBytes = maxFileBytes;
    }

    /** A route file's text, refused over the size limit. */
    public static String read(Path file, long maxFileBytes) throws IOException {
        return BoundedRead.readFile(file, maxFileBytes, "route file", Setting.ROUTES_MAX_FILE_BYTES);
    }

    private static String readError(Path file, IOException e) {
        return e instanceof BoundedRead.TooLargeException ? e.getMessage() : file.getFileName() + ": cannot read: " + e;
    }

    /** Publishes what readers see; called at the end of every change. */
    private void publish() {
        List<FileView> out = new ArrayList<>();
        files.forEach((p, s) -> out.add(new FileView(p.getFileName().toString(), s.status, List.copyOf(s.routeIds), s.off, s.error,
                s.updated)));
        snapshot = List.copyOf(out);
    }

    /** Applies every route file in the directory, in name order. */
    public synchronized void loadAll(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(RouteFileParser::isRouteFile).filter(p -> !DirectoryWatcher.isTemporary(p)).sorted().toList()) {
                apply(p, true);
            }
        } finally {
            publish();
        }
    }

    /**
     * Brings Camel in line with the file: adds or replaces its routes, or removes them if it is gone.
     *
     * @param force also when the text is the same as what runs
     */
    public synchronized void apply(Path file, boolean force) {
        try {
            applyFile(file, force);
        } finally {
            publish();
        }
    }

    private void applyFile(Path file, boolean force) {
        Path key = file.toAbsolutePath().normalize();
        if (!Files.exists(key)) {
            remove(key);
            return;
        }
        FileState state = files.get(key);
        String action = state == null ? "added" : "replaced";
        String text;
        try {
            text = read(key, maxFileBytes);
        } catch (IOException e) {
            refuse(key, state, action, readError(key, e));
            return;
        }
        if (!force && state != null && state.status == Status.ACTIVE && text.equals(state.goodText)) {
            return;
        }
        swap(key, state, action, text, true);
    }

    private void swap(Path key, FileState state, String action, String text, boolean restoreOnFailure) {
        List<RouteDefinition> defs;
        Map<String, String> off;
        try {
            defs = parser.parse(key, text);
            checkIdsFree(key, defs);
            off = Map.copyOf(Preconditions.off(camel, key, defs));
        } catch (RouteFileException e) {
            refuse(key, state, action, e.getMessage());
            return;
        }
        if (state != null) {
            removeRoutes(state.routeIds);
        }
        defs = defs.stream().filter(d -> !off.containsKey(d.getId())).toList();
        List<String> ids = defs.stream().map(RouteDefinition::getId).toList();
        off.forEach((id, why) -> LOG.info("{}: route '{}' is off: its precondition {} is false", key.getFileName(), id, why));
        try {
            model().addRouteDefinitions(defs);
            FileState ok = new FileState();
            ok.status = Status.ACTIVE;
            ok.routeIds = ids;
            ok.off = java.util.Collections.unmodifiableMap(new TreeMap<>(off));
            ok.goodText = text;
            files.put(key, ok);
            history.record(new ReloadEvent(Instant.now(), "routes", key.getFileName().toString(), action, ReloadEvent.OK, ids, null));
        } catch (Exception e) {
            removeRoutes(ids);
            String error = RouteFileParser.startFailure(key, e);
            if (restoreOnFailure && state != null && state.goodText != null && restore(key, state)) {
                state.status = Status.REJECTED;
                state.error = error;
                state.updated = Instant.now();
                history.record(new ReloadEvent(Instant.now(), "routes", key.getFileName().toString(), action,
                        ReloadEvent.REJECTED, state.routeIds, error));
            } else {
                fail(key, state, action, error);
            }
        }
    }

    /** Re-adds the previous good version; true when it runs again. */
    private boolean restore(Path key, FileState state) {
        try {
            List<RouteDefinition> parsed = parser.parse(key, state.goodText);
            Map<String, String> off = Preconditions.off(camel, key, parsed);
            List<RouteDefinition> old = parsed.stream().filter(d -> !off.containsKey(d.getId())).toList();
            model().addRouteDefinitions(old);
            state.routeIds = old.stream().map(RouteDefinition::getId).toList();
            return true;
        } catch (Exception e) {
            LOG.error("{}: the previous version did not start again either: {}", key.getFileName(), RouteFileParser.describe(e));
            removeRoutes(state.routeIds);
            return false;
        }
    }

    private void refuse(Path key, FileState state, String action, String error) {
        if (state != null && !state.routeIds.isEmpty()) {
            state.status = Status.REJECTED;
            state.error = error;
            state.updated = Instant.now();
            history.record(new ReloadEvent(Instant.now(), "routes", key.getFileName().toString(), action,
                    ReloadEvent.REJECTED, state.routeIds, error));
        } else {
            fail(key, state, action, error);
        }
    }

    private void fail(Path key, FileState previous, String action, String error) {
        FileState failed = new FileState();
        failed.status = Status.FAILED;
        failed.error = error;
        failed.goodText = previous == null ? null : previous.goodText;
        files.put(key, failed);
        history.record(new ReloadEvent(Instant.now(), "routes", key.getFileName().toString(), action, ReloadEvent.FAILED,
                List.of(), error));
    }

    private void checkIdsFree(Path key, List<RouteDefinition> defs) throws RouteFileException {
        for (RouteDefinition d : defs) {
            for (Map.Entry<Path, FileState> other : files.entrySet()) {
                if (!other.getKey().equals(key) && other.getValue().routeIds.contains(d.getId())) {
                    throw new RouteFileException(key.getFileName() + ": route id '" + d.getId() + "' is already used by "
                            + other.getKey().getFileName(), null);
                }
            }
        }
    }

    /** Stops and removes the file's routes and forgets it. */
    public synchronized void remove(Path file) {
        Path key = file.toAbsolutePath().normalize();
        FileState state = files.remove(key);
        if (state == null) {
            return;
        }
        removeRoutes(state.routeIds);
        publish();
        history.record(new ReloadEvent(Instant.now(), "routes", key.getFileName().toString(), "removed", ReloadEvent.OK,
                List.of(), null));
    }

    /** Files whose running text uses any stage, component scheme or bean of the contributions. */
    public synchronized Set<Path> filesUsing(Contributions c) {
        List<Pattern> patterns = new ArrayList<>();
        c.stageNames().forEach(n -> patterns.add(Pattern.compile("stage:(//)?" + Pattern.quote(n) + "(?![a-z0-9-])")));
        c.schemes().forEach(s -> patterns.add(Pattern.compile("(?<![A-Za-z0-9+.-])" + Pattern.quote(s) + ":")));
        c.beanNames().forEach(b -> patterns.add(Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(b) + "(?![A-Za-z0-9_])")));
        Set<Path> using = new LinkedHashSet<>();
        files.forEach((path, state) -> {
            String text = state.goodText;
            if (text != null && patterns.stream().anyMatch(p -> p.matcher(text).find())) {
                using.add(path);
            }
        });
        return using;
    }

    /** Removes the files' routes ahead of a plugin change; {@link #reload} brings them back. */
    public synchronized void suspend(Collection<Path> paths, String reason) {
        for (Path p : paths) {
            FileState state = files.get(p);
            if (state != null) {
                removeRoutes(state.routeIds);
                state.routeIds = List.of();
                state.status = Status.FAILED;
                state.error = reason;
                state.updated = Instant.now();
            }
        }
        publish();
    }

    /** Re-reads the files from disk and starts them on what is registered now, without restoring old versions. */
    public synchronized void reload(Collection<Path> paths, String action) {
        try {
            for (Path p : paths) {
                if (!Files.exists(p)) {
                    remove(p);
                    continue;
                }
                try {
                    swap(p, files.get(p), action, read(p, maxFileBytes), false);
                } catch (IOException e) {
                    fail(p, files.get(p), action, readError(p, e));
                }
            }
        } finally {
            publish();
        }
    }

    /** Files none of whose routes run: worth another try once a plugin arrives. */
    public synchronized List<Path> failedFiles() {
        return files.entrySet().stream().filter(e -> e.getValue().status == Status.FAILED).map(Map.Entry::getKey).toList();
    }

    public synchronized List<Path> knownFiles() {
        return List.copyOf(files.keySet());
    }

    /** Each file as of the last completed change; never waits for a change in progress. */
    public List<FileView> view() {
        return snapshot;
    }

    /** The file whose routes include this one, as of the last completed change. */
    public Optional<String> fileOf(String routeId) {
        return snapshot.stream().filter(f -> f.routes().contains(routeId)).map(FileView::file).findFirst();
    }

    /** Removes the routes and their definitions, also half-added ones a failed start left behind. */
    private void removeRoutes(List<String> ids) {
        Model model = model();
        for (String id : ids) {
            try {
                RouteDefinition def = model.getRouteDefinition(id);
                if (def != null) {
                    model.removeRouteDefinition(def);
                }
                if (camel.getRoute(id) != null) {
                    camel.getRouteController().stopRoute(id);
                    camel.removeRoute(id);
                }
            } catch (Exception e) {
                LOG.warn("Removing route '{}' failed: {}", id, RouteFileParser.describe(e));
            }
        }
    }

    private Model model() {
        return camel.getCamelContextExtension().getContextPlugin(Model.class);
    }
}
