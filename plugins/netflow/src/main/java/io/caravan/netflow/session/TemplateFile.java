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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 */
public final class TemplateFile {
    private static final int MAGIC = 0x43525654; // "CRVT"
    private static final int FORMAT = 1;
    /** Upper bound of any count read, so a corrupt file cannot make the loader allocate without limit. */
    private static final int MAX_COUNT = 1 << 20;

    private final Path path;

    public TemplateFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** Writes everything atomically (temp file + rename). */
    public void save(TemplateStore templates, SamplingStore sampling) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp);
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os))) {
                write(out, templates, sampling);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void write(DataOutputStream out, TemplateStore templates, SamplingStore sampling) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        List<TemplateStore.Entry> entries = templates.entries();
        out.writeInt(entries.size());
        for (TemplateStore.Entry e : entries) {
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
        Map<SamplingStore.Key, Long> rates = sampling.rates();
        out.writeInt(rates.size());
        for (Map.Entry<SamplingStore.Key, Long> r : rates.entrySet()) {
            address(out, r.getKey().exporter());
            out.writeShort(r.getKey().version());
            out.writeInt((int) r.getKey().domain());
            out.writeLong(r.getKey().samplerId());
            out.writeLong(r.getValue());
        }
        Map<SamplingStore.Key, Long> inits = sampling.sysInits();
        out.writeInt(inits.size());
        for (Map.Entry<SamplingStore.Key, Long> r : inits.entrySet()) {
            address(out, r.getKey().exporter());
            out.writeShort(r.getKey().version());
            out.writeInt((int) r.getKey().domain());
            out.writeLong(r.getValue());
        }
    }

    /**
     * Loads a saved file into the stores (templates older than the store's timeout are skipped).
     *
     * @return templates restored; 0 when the file does not exist
     * @throws IOException when the file cannot be read or is not a template file; nothing is loaded then
     */
    public int load(TemplateStore templates, SamplingStore sampling) throws IOException {
        if (!Files.exists(path)) {
            return 0;
        }
        record Saved(ExporterKey exporter, long domain, TemplateRecord template, long lastSeen) {
        }
        record Value(SamplingStore.Key key, long value) {
        }
        List<Saved> saved = new ArrayList<>();
        List<Value> rates = new ArrayList<>();
        List<Value> inits = new ArrayList<>();
        try (InputStream is = Files.newInputStream(path);
             DataInputStream in = new DataInputStream(new BufferedInputStream(is))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                throw new IOException(path + " is not a Caravan template file (format " + FORMAT + ")");
            }
            int n = count(in);
            for (int i = 0; i < n; i++) {
                InetAddress address = address(in);
                ExporterKey exporter = address == null ? ExporterKey.UNKNOWN : new ExporterKey(address, in.readInt());
                if (address == null) {
                    in.readInt();
                }
                int version = in.readUnsignedShort();
                long domain = in.readInt() & 0xFFFFFFFFL;
                int id = in.readUnsignedShort();
                int kind = in.readUnsignedByte();
                int scopes = in.readUnsignedShort();
                int fieldCount = in.readUnsignedShort();
                List<FieldSpecifier> fields = new ArrayList<>(fieldCount);
                for (int f = 0; f < fieldCount; f++) {
                    fields.add(new FieldSpecifier(in.readUnsignedShort(), in.readUnsignedShort(), in.readLong()));
                }
                long lastSeen = in.readLong();
                if (kind >= TemplateRecord.Kind.values().length) {
                    throw new IOException(path + ": bad template kind " + kind);
                }
                saved.add(new Saved(exporter, domain,
                        new TemplateRecord(version, id, TemplateRecord.Kind.values()[kind], scopes, fields), lastSeen));
            }
            n = count(in);
            for (int i = 0; i < n; i++) {
                InetAddress address = address(in);
                rates.add(new Value(new SamplingStore.Key(address, in.readUnsignedShort(), in.readInt() & 0xFFFFFFFFL,
                        in.readLong()), in.readLong()));
            }
            n = count(in);
            for (int i = 0; i < n; i++) {
                InetAddress address = address(in);
                inits.add(new Value(new SamplingStore.Key(address, in.readUnsignedShort(), in.readInt() & 0xFFFFFFFFL,
                        SamplingStore.SYSTEM), in.readLong()));
            }
        }
        for (Saved s : saved) {
            templates.restore(s.exporter(), s.domain(), s.template(), s.lastSeen());
        }
        for (Value r : rates) {
            SamplingStore.Key k = r.key();
            sampling.putRate(k.exporter(), k.version(), k.domain(), k.samplerId(), r.value());
        }
        for (Value r : inits) {
            SamplingStore.Key k = r.key();
            sampling.putSysInit(k.exporter(), k.version(), k.domain(), r.value());
        }
        return saved.size();
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_COUNT) {
            throw new IOException("bad count " + n);
        }
        return n;
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
