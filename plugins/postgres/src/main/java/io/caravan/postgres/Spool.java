package io.caravan.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Rows accepted while the database is away, on disk in COPY's text format, so a sink outage and a
 * shutdown during one lose nothing. New rows are appended to {@code pending.copy}; a send first
 * renames it to {@code sending.copy} (kept until the COPY commits, then deleted), so rows arriving
 * during a send never mix with it. Bounded by {@code maxBytes}: past it, rows are refused and
 * counted by the caller.
 */
final class Spool {
    private final Path pending;
    private final Path sending;
    private final Path rejected;
    private final long maxBytes;

    Spool(Path dir, long maxBytes) throws IOException {
        Files.createDirectories(dir);
        this.pending = dir.resolve("pending.copy");
        this.sending = dir.resolve("sending.copy");
        this.rejected = dir.resolve("rejected.copy");
        this.maxBytes = maxBytes;
    }

    synchronized boolean isEmpty() throws IOException {
        return size(pending) == 0 && size(sending) == 0;
    }

    synchronized long bytes() throws IOException {
        return size(pending) + size(sending);
    }

    /** Appends rows; false (nothing written) when that would pass the bound. */
    synchronized boolean append(byte[] rows) throws IOException {
        if (bytes() + rows.length > maxBytes) {
            return false;
        }
        Files.write(pending, rows, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        return true;
    }

    /** One rows file to send, the one left from an unfinished send first; null when empty. */
    synchronized Path next() throws IOException {
        if (size(sending) > 0) {
            return sending;
        }
        if (size(pending) == 0) {
            return null;
        }
        Files.move(pending, sending, StandardCopyOption.ATOMIC_MOVE);
        return sending;
    }

    synchronized void sent(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    /** Sets rows the database refused aside for an operator (appended to rejected.copy), then deletes them. */
    synchronized void reject(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            try (var out = Files.newOutputStream(rejected, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                in.transferTo(out);
            }
        }
        Files.deleteIfExists(file);
    }

    Path rejectedFile() {
        return rejected;
    }

    private static long size(Path p) throws IOException {
        return Files.exists(p) ? Files.size(p) : 0;
    }
}
