package io.caravan.netflow.encode;

import java.util.List;

/**
 * What one batch became: the datagrams in send order, and the records and template records they carry.
 */
record Encoded(List<byte[]> datagrams, int records, int templateRecords) {
}
