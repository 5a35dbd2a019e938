package io.caravan.sflow.wire;

import java.util.List;

/**
 * A flow sample, compact (format 1, sflow.h {@code SFLFlow_sample}) or expanded (format 3,
 * {@code SFLFlow_sample_expanded}):
 *
 * <pre>
 * compact (32 bytes + records)           expanded (44 bytes + records)
 * sequence_number                        sequence_number
 * source_id = type(8) | index(24)        source_id_type, source_id_index
 * sampling_rate                          sampling_rate
 * sample_pool                            sample_pool
 * drops                                  drops
 * input  = format(2) | value(30)         input_format, input_value
 * output = format(2) | value(30)         output_format, output_value
 * num_records                            num_records
 * flow_record[num_records]               flow_record[num_records]
 * </pre>
 *
 * Interface formats: 0 ifIndex, 1 packet discarded (value = reason), 2 multiple outputs (value =
 * count, 0 unknown). A compact value of 0x3FFFFFFF means "internal to the agent". Compact words
 * are split into format and value here.
 *
 * @param drops cumulative count of samples the agent dropped for lack of resources
 */
public record FlowSample(boolean expanded, long sequence, long sourceIdType, long sourceIdIndex, long samplingRate,
                         long samplePool, long drops, int inputFormat, long inputValue, int outputFormat,
                         long outputValue, List<FlowData> records) implements Sample {
    public static final int COMPACT_SIZE = 32;
    public static final int EXPANDED_SIZE = 44;

    /** Interface format: an ifIndex. */
    public static final int IF_INDEX = 0;
    /** Interface format: the packet was discarded; the value is the reason. */
    public static final int IF_DISCARDED = 1;
    /** Interface format: several outputs; the value is their count (0 unknown). */
    public static final int IF_MULTIPLE = 2;
    /** Compact interface value meaning "internal to the agent" (kept as is). */
    public static final long IF_INTERNAL = 0x3FFFFFFFL;

    /** The format bits (top 2) of a compact interface word. */
    public static int compactFormat(long word) {
        return (int) ((word >>> 30) & 3);
    }

    /** The value (low 30 bits) of a compact interface word. */
    public static long compactValue(long word) {
        return word & 0x3FFFFFFFL;
    }
}
