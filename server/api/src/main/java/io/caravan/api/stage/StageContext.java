package io.caravan.api.stage;

import io.caravan.api.plugin.PluginContext;

/**
 * What the runtime hands a stage when it is built: everything a {@link PluginContext} gives, with
 * every meter tagged {@code stage=<name>}. One stage instance serves one endpoint URI, which
 * several routes may share; the runtime counts records per route itself.
 *
 * <p>Meter names are used as given: {@code counter("caravan.decoder.datagrams", ...)} is exported
 * as {@code caravan_decoder_datagrams_total{stage="decode-netflow",...}}; see
 * {@link io.caravan.api.metrics.Meters} for naming and the one-shape-per-name rule.
 */
public interface StageContext extends PluginContext {

    /** The stage name. */
    String stageName();
}
