package io.caravan.skydive.store;

/** The {@code type} choices of the store. */
public enum StoreType {
    /** Per tag: objects of up to maxFlowsPerObject flows, at least every maxSecondsPerObject. */
    BUFFERED,
    /** Every batch at once: one object per tag per batch, written before the exchange goes on. */
    DIRECT
}
