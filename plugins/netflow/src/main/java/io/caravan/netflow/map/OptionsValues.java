package io.caravan.netflow.map;

/**
 * What one options data record says about sampling and time.
 *
 * @param samplerId  sampler / selector id (48 or 302), -1 when the record names none (system scope)
 * @param rate       the sampling rate it announces (see {@link RecordDecoder}), 0 if none
 * @param sysInitMs  systemInitTimeMilliseconds (160), 0 if absent
 */
public record OptionsValues(long samplerId, long rate, long sysInitMs) {
}
