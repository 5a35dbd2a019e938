package io.caravan.netflow.encode;

import static io.caravan.netflow.ie.InformationElements.*;

import io.caravan.api.flow.FlowRecord;
import java.nio.ByteBuffer;

/**
 * One field of an export template: its information element (the ids come from the plugin's table, shared by
 * NetFlow v9 and IPFIX for 1-127), its length on the wire, and how a record's value is written there.
 * Counters go out as 8 bytes, interfaces and AS numbers as 4, so nothing a FlowRecord holds is truncated;
 * tcpControlBits goes out in 1 byte (reduced size, RFC 7011 §6.2) as v9 defines it.
 */
enum ExportField {
    SRC_IPV4(SOURCE_IPV4_ADDRESS, 4) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.put(r.flow.srcAddr());
        }
    },
    DST_IPV4(DESTINATION_IPV4_ADDRESS, 4) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.put(r.flow.dstAddr());
        }
    },
    NEXT_HOP_IPV4(IP_NEXT_HOP_IPV4_ADDRESS, 4) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            address(out, r.flow.nextHop(), 4);
        }
    },
    SRC_IPV6(SOURCE_IPV6_ADDRESS, 16) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.put(r.flow.srcAddr());
        }
    },
    DST_IPV6(DESTINATION_IPV6_ADDRESS, 16) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.put(r.flow.dstAddr());
        }
    },
    NEXT_HOP_IPV6(IP_NEXT_HOP_IPV6_ADDRESS, 16) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            address(out, r.flow.nextHop(), 16);
        }
    },
    IN_IF(INGRESS_INTERFACE, 4) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.putInt(u32(r.flow.inIf()));
        }
    },
    OUT_IF(EGRESS_INTERFACE, 4) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.putInt(u32(r.flow.outIf()));
        }
    },
    PACKETS(PACKET_DELTA_COUNT, 8) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.putLong(r.flow.packets());
        }
    },
    BYTES(OCTET_DELTA_COUNT, 8) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.putLong(r.flow.bytes());
        }
    },
    START_UPTIME(FLOW_START_SYS_UP_TIME, 4) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.putInt(r.uptime(r.startMs));
        }
    },
    END_UPTIME(FLOW_END_SYS_UP_TIME, 4) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.putInt(r.uptime(r.endMs));
        }
    },
    START_MS(FLOW_START_MILLISECONDS, 8) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.putLong(r.startMs);
        }
    },
    END_MS(FLOW_END_MILLISECONDS, 8) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.putLong(r.endMs);
        }
    },
    SRC_PORT(SOURCE_TRANSPORT_PORT, 2) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.putShort((short) r.flow.srcPort());
        }
    },
    DST_PORT(DESTINATION_TRANSPORT_PORT, 2) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.putShort((short) r.flow.dstPort());
        }
    },
    PROTOCOL(PROTOCOL_IDENTIFIER, 1) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.put((byte) r.flow.proto());
        }
    },
    TCP_FLAGS(TCP_CONTROL_BITS, 1) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.put((byte) r.flow.tcpFlags());
        }
    },
    TOS(IP_CLASS_OF_SERVICE, 1) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.put((byte) r.flow.ipTos());
        }
    },
    SRC_MASK_IPV4(SOURCE_IPV4_PREFIX_LENGTH, 1) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.put((byte) r.flow.srcNet());
        }
    },
    DST_MASK_IPV4(DESTINATION_IPV4_PREFIX_LENGTH, 1) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.put((byte) r.flow.dstNet());
        }
    },
    SRC_MASK_IPV6(SOURCE_IPV6_PREFIX_LENGTH, 1) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.put((byte) r.flow.srcNet());
        }
    },
    DST_MASK_IPV6(DESTINATION_IPV6_PREFIX_LENGTH, 1) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.put((byte) r.flow.dstNet());
        }
    },
    SRC_AS(BGP_SOURCE_AS_NUMBER, 4) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.putInt(u32(r.flow.srcAs()));
        }
    },
    DST_AS(BGP_DESTINATION_AS_NUMBER, 4) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.putInt(u32(r.flow.dstAs()));
        }
    },
    SRC_VLAN(VLAN_ID, 2) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.putShort((short) r.flow.srcVlan());
        }
    },
    DST_VLAN(POST_VLAN_ID, 2) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.putShort((short) r.flow.dstVlan());
        }
    },
    SRC_MAC(SOURCE_MAC_ADDRESS, 6) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            mac(out, r.flow.srcMac());
        }
    },
    DST_MAC(DESTINATION_MAC_ADDRESS, 6) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            mac(out, r.flow.dstMac());
        }
    },
    ICMP_IPV4(ICMP_TYPE_CODE_IPV4, 2) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.putShort((short) icmp(r.flow));
        }
    },
    ICMP_IPV6(ICMP_TYPE_CODE_IPV6, 2) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.putShort((short) icmp(r.flow));
        }
    },
    DIRECTION(FLOW_DIRECTION, 1) {
        @Override
        void write(ByteBuffer out, ExportRecord r) {
            out.put((byte) r.flow.flowDirection());
        }
    };

    /** The information element id (the v9 field type). */
    final int ie;
    /** Bytes on the wire. */
    final int length;

    ExportField(int ie, int length) {
        this.ie = ie;
        this.length = length;
    }

    /** Writes exactly {@link #length} bytes of the record's value. */
    abstract void write(ByteBuffer out, ExportRecord r);

    /** Type and code as ICMP_TYPE (v9 32 / IPFIX 32, 139) carries them: type * 256 + code. */
    static int icmp(FlowRecord f) {
        return (f.icmpType() & 0xFF) << 8 | f.icmpCode() & 0xFF;
    }

    /** Values past 32 bits (never sent by an exporter of 32-bit fields) saturate rather than wrap. */
    static int u32(long v) {
        return (int) Math.min(v & Long.MAX_VALUE, 0xFFFF_FFFFL);
    }

    private static void address(ByteBuffer out, byte[] a, int length) {
        if (a != null && a.length == length) {
            out.put(a);
        } else {
            out.put(new byte[length]);
        }
    }

    private static void mac(ByteBuffer out, long mac) {
        out.putShort((short) (mac >>> 32));
        out.putInt((int) mac);
    }
}
