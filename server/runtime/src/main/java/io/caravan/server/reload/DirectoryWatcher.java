package io.caravan.server.reload;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one directory (not recursively) and reports files that changed, were created or were
 * deleted, once each has been quiet for the debounce period and its size has stopped changing.
 * An editor's save or a slow copy produces a burst of events; this turns it into one report,
 * so a half-written file is not acted on.
 */
public final class DirectoryWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);
    private static final long POLL_MS = 50;

    private final Path dir;
    private final Predicate<Path> relevant;
    private final Duration debounce;
    private final Consumer<Set<Path>> onChange;
    private final WatchService watch;
    private final Thread thread;
    private final Map<Path, Pending> pending = new HashMap<>();

    private record Pending(long lastEventNanos, long size) {
    }

    public DirectoryWatcher(String name, Path dir, Predicate<Path> relevant, Duration debounce,
                            Consumer<Set<Path>> onChange) throws IOException {
        this.dir = dir;
        this.relevant = relevant;
        this.debounce = debounce;
        this.onChange = onChange;
        this.watch = FileSystems.getDefault().newWatchService();
        dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = new Thread(this::run, "caravan-watch-" + name);
        this.thread.setDaemon(true);
    }

    /** True for names editors and copy tools use for temporary files. */
    public static boolean isTemporary(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith(".") || n.endsWith("~") || n.endsWith(".tmp") || n.endsWith(".swp") || n.endsWith(".part");
    }

    public void start() {
        thread.start();
        LOG.info("Watching {}", dir);
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                WatchKey key = watch.poll(POLL_MS, TimeUnit.MILLISECONDS);
                long now = System.nanoTime();
                if (key != null) {
                    for (WatchEvent<?> event : key.pollEvents()) {
                        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                            LOG.warn("Too many changes in {} at once; rescan with POST /admin/reload", dir);
                            continue;
                        }
                        Path p = dir.resolve((Path) event.context());
                        if (!isTemporary(p) && relevant.test(p)) {
                            pending.put(p, new Pending(now, sizeOf(p)));
                        }
                    }
                    key.reset();
                }
                flushQuiet(now);
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void flushQuiet(long now) {
        Set<Path> ready = new TreeSet<>();
        for (Iterator<Map.Entry<Path, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Path, Pending> e = it.next();
            if (now - e.getValue().lastEventNanos() < debounce.toNanos()) {
                continue;
            }
            long size = sizeOf(e.getKey());
            if (size != e.getValue().size()) {
                // Still growing without events (some writers don't trigger MODIFY per write): wait again.
                e.setValue(new Pending(now, size));
                continue;
            }
            ready.add(e.getKey());
            it.remove();
        }
        if (!ready.isEmpty()) {
            try {
                onChange.accept(ready);
            } catch (RuntimeException ex) {
                LOG.error("Handling changes to {} failed", ready, ex);
            }
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            watch.close();
            thread.join(2000);
        } catch (IOException e) {
            LOG.debug("Closing watch service for {}: {}", dir, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
