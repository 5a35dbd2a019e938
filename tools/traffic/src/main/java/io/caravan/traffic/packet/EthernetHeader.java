package io.caravan.traffic.packet;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** An Ethernet II header: destination and source MAC, 802.1Q / 802.1ad tags outermost first, ethertype. */
final class EthernetHeader {
    /** Header length without tags. */
    static final int LENGTH = 14;

    long srcMac = 0x02_00_00_00_00_01L;
    long dstMac = 0x02_00_00_00_00_02L;
    /** Set for non-IP frames; otherwise the ethertype follows from what comes next. */
    int etherType = -1;
    private final List<int[]> tags = new ArrayList<>(); // {tpid, tci}

    void tag(int tpid, int pcp, int vlanId) {
        tags.add(new int[] {tpid & 0xFFFF, ((pcp & 7) << 13) | (vlanId & 0xFFF)});
    }

    int length() {
        return LENGTH + 4 * tags.size();
    }

    /** Writes the header; the ethertype is MPLS's with labels, else the one set, else the IP version's. */
    void write(ByteArrayOutputStream out, boolean mpls, int ipVersion) {
        writeMac(out, dstMac);
        writeMac(out, srcMac);
        for (int[] tag : tags) {
            Bytes.writeShort(out, tag[0]);
            Bytes.writeShort(out, tag[1]);
        }
        int type;
        if (mpls) {
            type = PacketBuilder.ETHERTYPE_MPLS;
        } else if (etherType >= 0) {
            type = etherType;
        } else if (ipVersion == 4) {
            type = PacketBuilder.ETHERTYPE_IPV4;
        } else if (ipVersion == 6) {
            type = PacketBuilder.ETHERTYPE_IPV6;
        } else {
            throw new IllegalStateException("no IP layer and no ethertype: call ipv4, ipv6 or etherType");
        }
        Bytes.writeShort(out, type);
    }

    /** {@code aa:bb:cc:dd:ee:ff} (or with dashes) as the low 48 bits. */
    static long parseMac(String mac) {
        String[] parts = mac.split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("'" + mac + "' is not a MAC address");
        }
        long v = 0;
        for (String part : parts) {
            v = (v << 8) | Integer.parseInt(part, 16);
        }
        return v;
    }

    private static void writeMac(ByteArrayOutputStream out, long mac) {
        for (int shift = 40; shift >= 0; shift -= 8) {
            out.write((int) (mac >>> shift) & 0xFF);
        }
    }
}
