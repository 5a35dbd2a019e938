package io.caravan.netflow.map;

/** Sampling rates announced in options data, looked up by sampler or selector id (48 / 302). */
@FunctionalInterface
public interface SamplerRates {
    SamplerRates NONE = id -> 0;

    /** The rate announced for this sampler id, or 0 when none is known. */
    long rate(long samplerId);
}
