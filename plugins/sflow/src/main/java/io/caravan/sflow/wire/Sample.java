package io.caravan.sflow.wire;

/** One decoded sample of a datagram; unknown sample formats are skipped by the decoder and not represented. */
public sealed interface Sample permits FlowSample, CounterSample, DiscardedPacket {

    /** The sample's sequence number (per data source and sample kind). */
    long sequence();

    /** Data source type: 0 ifIndex, 1 smonVlanDataSource, 2 entPhysicalEntry. */
    long sourceIdType();

    /** Data source index. */
    long sourceIdIndex();
}
