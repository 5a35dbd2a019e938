package io.caravan.vanflow.wire;

import io.caravan.vanflow.event.VanRecord;
import java.util.List;

/**
 * What one RECORD body held: the records this collector understands, in body order, and how many
 * maps or attributes it had to skip.
 *
 * @param records          the decoded records
 * @param unknownTypes     maps skipped because their record type (key 0) is not in {@link RecordType}
 * @param unknownCodes     attributes whose code is not in {@link Attribute} (kept in the record, counted)
 * @param malformedRecords maps skipped because key 0 or 1 was missing or ill-typed, or an entry was not a map
 * @param firstProblem     the first skipped map's reason, for the log; null when none was skipped
 */
public record DecodedRecords(List<VanRecord> records, int unknownTypes, int unknownCodes, int malformedRecords,
                             String firstProblem) {
}
