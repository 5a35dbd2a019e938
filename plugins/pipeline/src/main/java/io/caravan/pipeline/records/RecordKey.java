package io.caravan.pipeline.records;

import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.net.AddressText;

/**
 * What a record's message key is, as text. Kafka hashes the key to pick the partition, so records
 * with one key stay in one partition, in the order they were sent.
 */
enum RecordKey {
    /** The exporter's (sampler's) address: one exporter's flows stay ordered in one partition. */
    EXPORTER {
        @Override
        String of(FlowRecord r, Origin origin) {
            byte[] a = r.samplerAddress();
            if (a != null && (a.length == 4 || a.length == 16)) {
                return AddressText.format(a);
            }
            return origin.exporter() == null ? null : origin.exporter().getAddress().getHostAddress();
        }
    },
    /** The source address: one host's flows together. */
    SRC_ADDR {
        @Override
        String of(FlowRecord r, Origin origin) {
            return address(r.srcAddr());
        }
    },
    /** The destination address. */
    DST_ADDR {
        @Override
        String of(FlowRecord r, Origin origin) {
            return address(r.dstAddr());
        }
    },
    /** No key: the producer spreads records over partitions. */
    NONE {
        @Override
        String of(FlowRecord r, Origin origin) {
            return null;
        }
    };

    /** The key of one record of a batch from {@code origin}, or null for none. */
    abstract String of(FlowRecord r, Origin origin);

    private static String address(byte[] a) {
        return a != null && (a.length == 4 || a.length == 16) ? AddressText.format(a) : null;
    }
}
