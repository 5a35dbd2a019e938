package io.caravan.netflow.encode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NetFlow v9 (RFC 3954) and IPFIX (RFC 7011) datagrams: a header, the templates when due, then data sets,
 * each datagram at most {@code mtu} bytes.
 *
 * <pre>
 * v9 header (20):    version(2)=9  count(2) sysUptime(4) unix_secs(4) sequence(4) source_id(4)
 * IPFIX header (16): version(2)=10 length(2) export_time(4) sequence(4) observation_domain_id(4)
 * set:               set_id(2) length(2) records... padding to 4 bytes
 *                    set_id 0 (v9) / 2 (IPFIX) = templates, 256 = IPv4 data, 257 = IPv6 data
 * </pre>
 *
 * Sequence numbers: v9 counts export datagrams per source id; IPFIX counts the data records sent before this
 * message per observation domain (template records do not advance it). The v9 count field is every record
 * in the datagram, template records included. Templates go first in a stream's first datagram and again
 * when due by time or datagram count; both (IPv4 and IPv6) are always announced together.
 */
final class TemplateEncoder {
    static final int V9_HEADER = 20;
    static final int IPFIX_HEADER = 16;
    static final int SET_HEADER = 4;

    private final EncodeSettings settings;
    private final long bootMs;
    private final boolean ipfix;
    private final int header;
    private final ExportTemplate v4;
    private final ExportTemplate v6;
    private final int templateSetLength;

    TemplateEncoder(EncodeSettings settings, long bootMs) {
        this.settings = settings;
        this.bootMs = bootMs;
        this.ipfix = settings.version() == ExportVersion.IPFIX;
        this.header = ipfix ? IPFIX_HEADER : V9_HEADER;
        this.v4 = ExportTemplate.ipv4(settings.version());
        this.v6 = ExportTemplate.ipv6(settings.version());
        this.templateSetLength = SET_HEADER + v4.templateRecordLength() + v6.templateRecordLength();
    }

    /** The smallest MTU that holds a header, the templates and one record of the larger template. */
    static int minimumMtu(ExportVersion version) {
        TemplateEncoder e = new TemplateEncoder(new EncodeSettings(version, 65_535, 0, 0, 0, 0, 0), 0);
        return e.header + e.templateSetLength + SET_HEADER + pad(Math.max(e.v4.recordLength, e.v6.recordLength));
    }

    /** Encodes IPv4 and IPv6 records (the caller filtered the rest) under the stream's lock. */
    Encoded encode(List<ExportRecord> records, ExportStream stream, long nowMs) {
        List<byte[]> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.allocate(settings.mtu());
        int templateRecords = 0;
        int i = 0;
        while (i < records.size()) {
            b.clear();
            b.position(header);
            int recordsHere = 0;
            int dataRecordsHere = 0;
            if (stream.templatesDue(nowMs, settings.templateIntervalMs(), settings.templatePackets())) {
                b.putShort((short) (ipfix ? 2 : 0));
                b.putShort((short) templateSetLength);
                v4.writeTemplateRecord(b);
                v6.writeTemplateRecord(b);
                stream.templatesSent(nowMs);
                recordsHere += 2;
                templateRecords += 2;
            }
            ExportTemplate open = null;
            int setStart = 0;
            while (i < records.size()) {
                ExportRecord r = records.get(i);
                ExportTemplate t = r.isIpv4() ? v4 : v6;
                // Where the datagram would end with this record in it, its set padded.
                int end;
                if (open == t) {
                    end = setStart + pad(b.position() - setStart + t.recordLength);
                } else {
                    int next = open == null ? b.position() : setStart + pad(b.position() - setStart);
                    end = next + pad(SET_HEADER + t.recordLength);
                }
                if (end > settings.mtu()) {
                    break;
                }
                if (open != t) {
                    closeSet(b, setStart, open);
                    open = t;
                    setStart = b.position();
                    b.putShort((short) t.id);
                    b.putShort((short) 0);
                }
                t.writeDataRecord(b, r);
                recordsHere++;
                dataRecordsHere++;
                i++;
            }
            closeSet(b, setStart, open);
            int length = b.position();
            b.position(0);
            b.putShort((short) settings.version().number());
            if (ipfix) {
                b.putShort((short) length);
                b.putInt((int) (nowMs / 1000));
                b.putInt((int) stream.sequence);
                stream.sequence = stream.sequence + dataRecordsHere & 0xFFFF_FFFFL;
            } else {
                b.putShort((short) recordsHere);
                b.putInt((int) (nowMs - bootMs));
                b.putInt((int) (nowMs / 1000));
                b.putInt((int) stream.sequence);
                stream.sequence = stream.sequence + 1 & 0xFFFF_FFFFL;
            }
            b.putInt((int) stream.domain);
            stream.datagramsSinceTemplates++;
            out.add(Arrays.copyOf(b.array(), length));
        }
        return new Encoded(out, records.size(), templateRecords);
    }

    /** Pads the open set to a 4-byte boundary with zeros and writes its length. */
    private static void closeSet(ByteBuffer b, int setStart, ExportTemplate open) {
        if (open == null) {
            return;
        }
        int length = b.position() - setStart;
        for (int p = length; p < pad(length); p++) {
            b.put((byte) 0);
        }
        b.putShort(setStart + 2, (short) (b.position() - setStart));
    }

    private static int pad(int length) {
        return length + 3 & ~3;
    }
}
