package io.caravan.sflow.wire;

import java.util.List;

/**
 * A counter sample, compact (format 2, sflow.h {@code SFLCounters_sample}) or expanded (format 4,
 * {@code SFLCounters_sample_expanded}):
 *
 * <pre>
 * compact (12 bytes + records)           expanded (16 bytes + records)
 * sequence_number                        sequence_number
 * source_id = type(8) | index(24)        source_id_type, source_id_index
 * num_records                            num_records
 * counter_record[num_records]            counter_record[num_records]
 * </pre>
 */
public record CounterSample(boolean expanded, long sequence, long sourceIdType, long sourceIdIndex,
                            List<CounterData> records) implements Sample {
    public static final int COMPACT_SIZE = 12;
    public static final int EXPANDED_SIZE = 16;
}
