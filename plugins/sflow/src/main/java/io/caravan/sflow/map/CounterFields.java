package io.caravan.sflow.map;

import io.caravan.sflow.wire.EthernetCounters;
import io.caravan.sflow.wire.GenericInterfaceCounters;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counter records as flat name → number maps: the one naming of counter samples emitted as
 * records, and (through {@link #camelCase}) of the stage status. Names are the sFlow/MIB names in
 * snake_case, like every record attribute; values are {@code Long}, or {@code BigInteger} for a
 * u64 above 2^63 − 1.
 */
public final class CounterFields {
    private CounterFields() {
    }

    /** Generic interface counters (format 1); {@code if_status} bit 0 = admin up, bit 1 = operationally up. */
    public static Map<String, Object> generic(GenericInterfaceCounters c) {
        Map<String, Object> m = new LinkedHashMap<>(32);
        m.put("if_index", c.ifIndex());
        m.put("if_type", c.ifType());
        m.put("if_speed", unsigned(c.ifSpeed()));
        m.put("if_direction", c.ifDirection());
        m.put("if_status", c.ifStatus());
        m.put("if_in_octets", unsigned(c.ifInOctets()));
        m.put("if_in_ucast_pkts", c.ifInUcastPkts());
        m.put("if_in_multicast_pkts", c.ifInMulticastPkts());
        m.put("if_in_broadcast_pkts", c.ifInBroadcastPkts());
        m.put("if_in_discards", c.ifInDiscards());
        m.put("if_in_errors", c.ifInErrors());
        m.put("if_in_unknown_protos", c.ifInUnknownProtos());
        m.put("if_out_octets", unsigned(c.ifOutOctets()));
        m.put("if_out_ucast_pkts", c.ifOutUcastPkts());
        m.put("if_out_multicast_pkts", c.ifOutMulticastPkts());
        m.put("if_out_broadcast_pkts", c.ifOutBroadcastPkts());
        m.put("if_out_discards", c.ifOutDiscards());
        m.put("if_out_errors", c.ifOutErrors());
        m.put("if_promiscuous_mode", c.ifPromiscuousMode());
        return m;
    }

    /** Ethernet counters (format 2), dot3Stats names. */
    public static Map<String, Object> ethernet(EthernetCounters c) {
        Map<String, Object> m = new LinkedHashMap<>(20);
        m.put("dot3_stats_alignment_errors", c.dot3StatsAlignmentErrors());
        m.put("dot3_stats_fcs_errors", c.dot3StatsFCSErrors());
        m.put("dot3_stats_single_collision_frames", c.dot3StatsSingleCollisionFrames());
        m.put("dot3_stats_multiple_collision_frames", c.dot3StatsMultipleCollisionFrames());
        m.put("dot3_stats_sqe_test_errors", c.dot3StatsSQETestErrors());
        m.put("dot3_stats_deferred_transmissions", c.dot3StatsDeferredTransmissions());
        m.put("dot3_stats_late_collisions", c.dot3StatsLateCollisions());
        m.put("dot3_stats_excessive_collisions", c.dot3StatsExcessiveCollisions());
        m.put("dot3_stats_internal_mac_transmit_errors", c.dot3StatsInternalMacTransmitErrors());
        m.put("dot3_stats_carrier_sense_errors", c.dot3StatsCarrierSenseErrors());
        m.put("dot3_stats_frame_too_longs", c.dot3StatsFrameTooLongs());
        m.put("dot3_stats_internal_mac_receive_errors", c.dot3StatsInternalMacReceiveErrors());
        m.put("dot3_stats_symbol_errors", c.dot3StatsSymbolErrors());
        return m;
    }

    /**
     * The same fields with their names in camelCase, the key style of the stage status ({@code
     * if_in_octets} is {@code ifInOctets}, {@code dot3_stats_fcs_errors} is {@code dot3StatsFcsErrors}).
     */
    public static Map<String, Object> camelCase(Map<String, Object> fields) {
        Map<String, Object> m = new LinkedHashMap<>(fields.size() * 2);
        fields.forEach((name, value) -> m.put(camelCase(name), value));
        return m;
    }

    static String camelCase(String snake) {
        StringBuilder sb = new StringBuilder(snake.length());
        boolean upper = false;
        for (int i = 0; i < snake.length(); i++) {
            char c = snake.charAt(i);
            if (c == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    /** A u64 as a non-negative number. */
    static Object unsigned(long v) {
        return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
    }
}
