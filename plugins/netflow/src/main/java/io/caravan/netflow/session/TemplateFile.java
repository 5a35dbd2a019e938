package io.caravan.netflow.session;

import io.caravan.netflow.wire.FieldSpecifier;
import io.caravan.netflow.wire.TemplateRecord;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Saves and loads templates and sampling knowledge so a restarted stage decodes data at once, without waiting
 * for the exporters' next template refresh. Binary, big endian (DataOutputStream):
 * <pre>
 * magic "CRVT" | format 1
 * templates: count, each { exporter, version u16, domain u32, template id u16, kind u8, scope count u16,
 *                          field count u16, fields { id u16, length u16, enterprise u64 }, last seen ms u64 }
 * rates:     count, each { address, version u16, domain u32, sampler id i64, rate u64 }
 * init:      count, each { address, version u16, domain u32, epoch ms u64 }
 * exporter = address, port i32 (-1 = not keyed by port); address = length u8 (0 = none) + bytes
 * </pre>
 * Written to a temporary file beside the target, then renamed over it, so a crash never leaves half a file.
 *
 * <p>Bounded: a save never writes more than {@code maxBytes} (sampling first, then the most recently announced
 * templates that fit), and a load refuses a larger file before reading it. A load reads the file twice: once to
 * check all of it without keeping anything, then to restore it into the stores, whose budget bounds what is kept; so
 * neither a corrupt nor a huge file costs more heap than the budget. A file that is too large or does not check is
 * set aside (renamed with a {@code .rejected-<UTC time>} suffix) and logged with what to do; the stage starts
 * without it. Nothing here is ever fatal to the stage.
 */
public final class TemplateFile {
    private static final int MAGIC = 0x43525654; // "CRVT"
    private static final int FORMAT = 1;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    /** Bytes of the header and the three counts. */
    private static final int FIXED = 4 + 4 + 3 * 4;

    private final Path path;
    private final long maxBytes;
    private final Clock clock;
    private final Logger log;

    /**
     * @param maxBytes the largest file saved or loaded
     * @param log      where a file set aside is reported
     */
    public TemplateFile(Path path, long maxBytes, Clock clock, Logger log) {
        this.path = path;
        this.maxBytes = maxBytes;
        this.clock = clock;
        this.log = log;
    }

    public Path path() {
        return path;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Writes atomically (temp file + rename), at most {@code maxBytes}; returns the templates written. */
    public int save(TemplateStore templates, SamplingStore sampling) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            int n;
            try (OutputStream os = Files.newOutputStream(tmp);
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os))) {
                n = write(out, templates, sampling);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            return n;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private int write(DataOutputStream out, TemplateStore templates, SamplingStore sampling) throws IOException {
        Map<SamplingStore.Key, Long> rates = sampling.rates();
        Map<SamplingStore.Key, Long> inits = sampling.sysInits();
        long size = FIXED;
        for (SamplingStore.Key k : rates.keySet()) {
            size += addressBytes(k.exporter()) + 2 + 4 + 8 + 8;
        }
        for (SamplingStore.Key k : inits.keySet()) {
            size += addressBytes(k.exporter()) + 2 + 4 + 8;
        }
        if (size > maxBytes) {
            rates = Map.of();
            inits = Map.of();
            size = FIXED;
        }
        List<TemplateStore.Entry> entries = new ArrayList<>(templates.entries());
        entries.sort(Comparator.comparingLong(TemplateStore.Entry::lastSeenMs).reversed());
        List<TemplateStore.Entry> kept = new ArrayList<>();
        for (TemplateStore.Entry e : entries) {
            long n = addressBytes(e.exporter().address()) + 4 + 2 + 4 + 2 + 1 + 2 + 2
                    + 12L * e.template().template().fields().size() + 8;
            if (size + n <= maxBytes) {
                size += n;
                kept.add(e);
            }
        }
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeInt(kept.size());
        for (TemplateStore.Entry e : kept) {
            address(out, e.exporter().address());
            out.writeInt(e.exporter().port());
            TemplateRecord t = e.template().template();
            out.writeShort(t.version());
            out.writeInt((int) e.key().domain());
            out.writeShort(t.templateId());
            out.writeByte(t.kind().ordinal());
            out.writeShort(t.scopeCount());
            out.writeShort(t.fields().size());
            for (FieldSpecifier f : t.fields()) {
                out.writeShort(f.id());
                out.writeShort(f.length());
                out.writeLong(f.enterprise());
            }
            out.writeLong(e.lastSeenMs());
        }
        out.writeInt(rates.size());
        for (Map.Entry<SamplingStore.Key, Long> r : rates.entrySet()) {
            address(out, r.getKey().exporter());
            out.writeShort(r.getKey().version());
            out.writeInt((int) r.getKey().domain());
            out.writeLong(r.getKey().samplerId());
            out.writeLong(r.getValue());
        }
        out.writeInt(inits.size());
        for (Map.Entry<SamplingStore.Key, Long> r : inits.entrySet()) {
            address(out, r.getKey().exporter());
            out.writeShort(r.getKey().version());
            out.writeInt((int) r.getKey().domain());
            out.writeLong(r.getValue());
        }
        return kept.size();
    }

    /**
     * Loads a saved file into the stores (templates older than the store's timeout, or past its budget, are
     * skipped). A file over {@code maxBytes}, or one that does not check, is set aside and nothing is loaded.
     *
     * @return templates offered to the store; 0 when there is no file or it was set aside
     */
    public int load(TemplateStore templates, SamplingStore sampling) {
        if (!Files.exists(path)) {
            return 0;
        }
        try {
            long size = Files.size(path);
            if (size > maxBytes) {
                setAside("it is " + size + " bytes, over the limit of " + maxBytes
                        + " (the stage option maxTemplateFileSize)");
                return 0;
            }
            read(null, null);
        } catch (IOException | RuntimeException e) {
            setAside("it is not a readable template file: " + e.getMessage());
            return 0;
        }
        try {
            return read(templates, sampling);
        } catch (IOException | RuntimeException e) {
            // Checked a moment ago: the file changed since. Keep what was restored; the next save replaces it.
            log.warn("template file {} changed while it was loaded; kept what was read before: {}", path, e.toString());
            return 0;
        }
    }

    private void setAside(String why) {
        Path aside = path.resolveSibling(path.getFileName() + ".rejected-" + STAMP.format(clock.instant()));
        try {
            Files.move(path, aside);
            log.warn("template file {} set aside as {}: {}. The stage starts without saved templates and learns "
                    + "them again from the exporters (within their next template refresh). Delete the set-aside file "
                    + "when it is no longer needed; if it is a good file that is merely large, raise "
                    + "maxTemplateFileSize and rename it back before the next start.", path, aside, why);
        } catch (IOException e) {
            log.warn("template file {} is not loaded: {}; it could not be set aside ({}), and the next save "
                    + "replaces it.", path, why, e.toString());
        }
    }

    /** Reads the whole file; with null stores only checks it. Returns the templates read. */
    private int read(TemplateStore templates, SamplingStore sampling) throws IOException {
        try (InputStream is = Files.newInputStream(path);
             DataInputStream in = new DataInputStream(new BufferedInputStream(is))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                throw new IOException("not a Caravan template file (format " + FORMAT + ")");
            }
            int n = count(in);
            for (int i = 0; i < n; i++) {
                InetAddress address = address(in);
                int port = in.readInt();
                ExporterKey exporter = address == null ? ExporterKey.UNKNOWN : new ExporterKey(address, port);
                int version = in.readUnsignedShort();
                long domain = in.readInt() & 0xFFFFFFFFL;
                int id = in.readUnsignedShort();
                int kind = in.readUnsignedByte();
                int scopes = in.readUnsignedShort();
                int fieldCount = in.readUnsignedShort();
                if (kind >= TemplateRecord.Kind.values().length) {
                    throw new IOException("bad template kind " + kind);
                }
                if (version != 9 && version != 10) {
                    throw new IOException("bad template version " + version);
                }
                List<FieldSpecifier> fields = templates == null ? null : new ArrayList<>(fieldCount);
                for (int f = 0; f < fieldCount; f++) {
                    int fid = in.readUnsignedShort();
                    int length = in.readUnsignedShort();
                    long pen = in.readLong();
                    if (fields != null) {
                        fields.add(new FieldSpecifier(fid, length, pen));
                    }
                }
                long lastSeen = in.readLong();
                if (templates != null) {
                    templates.restore(exporter, domain,
                            new TemplateRecord(version, id, TemplateRecord.Kind.values()[kind], scopes, fields),
                            lastSeen);
                }
            }
            int rates = count(in);
            for (int i = 0; i < rates; i++) {
                InetAddress address = address(in);
                int version = in.readUnsignedShort();
                long domain = in.readInt() & 0xFFFFFFFFL;
                long samplerId = in.readLong();
                long rate = in.readLong();
                if (sampling != null) {
                    sampling.putRate(address, version, domain, samplerId, rate);
                }
            }
            int inits = count(in);
            for (int i = 0; i < inits; i++) {
                InetAddress address = address(in);
                int version = in.readUnsignedShort();
                long domain = in.readInt() & 0xFFFFFFFFL;
                long initMs = in.readLong();
                if (sampling != null) {
                    sampling.putSysInit(address, version, domain, initMs);
                }
            }
            if (in.read() != -1) {
                throw new IOException("bytes after the last section");
            }
            return n;
        }
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("bad count " + n);
        }
        return n;
    }

    private static int addressBytes(InetAddress a) {
        return 1 + (a == null ? 0 : a.getAddress().length);
    }

    private static void address(DataOutputStream out, InetAddress a) throws IOException {
        if (a == null) {
            out.writeByte(0);
        } else {
            byte[] b = a.getAddress();
            out.writeByte(b.length);
            out.write(b);
        }
    }

    private static InetAddress address(DataInputStream in) throws IOException {
        int len = in.readUnsignedByte();
        if (len == 0) {
            return null;
        }
        if (len != 4 && len != 16) {
            throw new IOException("bad address length " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return InetAddress.getByAddress(b);
    }
}
