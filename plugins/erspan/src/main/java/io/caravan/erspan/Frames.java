package io.caravan.erspan;

import io.caravan.api.flow.FlowRecord;

/**
 * Reads the frame a record carries: the {@value #ATTR_FRAME} attribute (byte[]), with
 * {@value #ATTR_FRAME_LENGTH} (the original length, so a shorter frame is known to be truncated)
 * and {@value #ATTR_FRAME_PROTOCOL} (sFlow's header_protocol numbering; absent means Ethernet).
 * Frames that start at IPv4, IPv6 or MPLS get a 14-byte Ethernet header (the record's MACs, the
 * matching EtherType) in front, since ERSPAN carries Ethernet frames.
 */
final class Frames {
    static final String ATTR_FRAME = "frame";
    static final String ATTR_FRAME_LENGTH = "frame_length";
    static final String ATTR_FRAME_PROTOCOL = "frame_protocol";
    static final int PROTOCOL_ETHERNET = 1;
    static final int PROTOCOL_IPV4 = 11;
    static final int PROTOCOL_IPV6 = 12;
    static final int PROTOCOL_MPLS = 13;
    static final int ETHERNET_HEADER = 14;

    /** Why a record cannot be mirrored, a metrics tag value. */
    enum Skip {
        NO_FRAME("no-frame"), NOT_ETHERNET("not-ethernet");

        final String tag;

        Skip(String tag) {
            this.tag = tag;
        }
    }

    /**
     * A record's frame, ready to mirror.
     *
     * @param etherType    0 for an Ethernet frame sent as is, else the EtherType of the Ethernet
     *                     header put in front of {@code bytes}
     * @param bytes        the frame (or IP packet) as carried
     * @param originalLength the frame's length before truncation, in the same terms as {@code bytes}
     */
    record Frame(FlowRecord record, int etherType, byte[] bytes, long originalLength) {
        /** Bytes the mirrored Ethernet frame has, before any truncation by the sink. */
        int length() {
            return (etherType == 0 ? 0 : ETHERNET_HEADER) + bytes.length;
        }

        /** Whether the frame starts with an 802.1Q/802.1ad tag (ERSPAN II's En = VLAN tag preserved). */
        boolean tagged() {
            if (etherType != 0) {
                return false;
            }
            int t = bytes.length >= ETHERNET_HEADER ? (bytes[12] & 0xFF) << 8 | bytes[13] & 0xFF : 0;
            return t == 0x8100 || t == 0x88A8 || t == 0x9100;
        }
    }

    private Frames() {
    }

    /** The record's frame; {@code skip[0]} says why there is none when this returns null. */
    static Frame of(FlowRecord r, Skip[] skip) {
        if (!(r.attribute(ATTR_FRAME) instanceof byte[] bytes) || bytes.length == 0) {
            skip[0] = Skip.NO_FRAME;
            return null;
        }
        long protocol = r.attribute(ATTR_FRAME_PROTOCOL) instanceof Number n ? n.longValue() : PROTOCOL_ETHERNET;
        long original = r.attribute(ATTR_FRAME_LENGTH) instanceof Number n ? n.longValue() : bytes.length;
        int etherType = switch ((int) protocol) {
            case PROTOCOL_ETHERNET -> 0;
            case PROTOCOL_IPV4 -> 0x0800;
            case PROTOCOL_IPV6 -> 0x86DD;
            case PROTOCOL_MPLS -> 0x8847;
            default -> -1;
        };
        if (etherType < 0 || protocol != (int) protocol) {
            skip[0] = Skip.NOT_ETHERNET;
            return null;
        }
        return new Frame(r, etherType, bytes, Math.max(original, bytes.length));
    }

    /** Writes the Ethernet header put in front of an IP or MPLS packet: the record's MACs and the EtherType. */
    static void writeEthernetHeader(byte[] b, int at, FlowRecord r, int etherType) {
        long dst = r.dstMac();
        long src = r.srcMac();
        for (int i = 0; i < 6; i++) {
            b[at + i] = (byte) (dst >>> (40 - 8 * i));
            b[at + 6 + i] = (byte) (src >>> (40 - 8 * i));
        }
        b[at + 12] = (byte) (etherType >>> 8);
        b[at + 13] = (byte) etherType;
    }
}
