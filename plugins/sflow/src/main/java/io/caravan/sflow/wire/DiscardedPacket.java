package io.caravan.sflow.wire;

import java.util.List;

/**
 * A discarded-packet event sample (format 5, sFlow drop monitoring; sflow.h
 * {@code SFLEvent_discarded_packet}), 32 bytes then flow records:
 *
 * <pre>
 * sequence_number
 * source_id_type, source_id_index
 * drops          cumulative discard events the agent could not report (rate limit)
 * input, output  ifIndex, 0 if unknown
 * reason         drop reason (0-15 ICMP unreachable codes, 256+ named reasons)
 * num_records
 * flow_record[num_records]
 * </pre>
 */
public record DiscardedPacket(long sequence, long sourceIdType, long sourceIdIndex, long drops, long input, long output,
                              long reason, List<FlowData> records) implements Sample {
    public static final int SIZE = 32;
}
