/**
 * The Skydive flow as data: {@link io.caravan.skydive.flow.SkydiveFlows} reads the analyzer's flow
 * JSON (spec §1.4), {@link io.caravan.skydive.flow.SkydiveFlowMapper} makes a
 * {@link io.caravan.api.flow.FlowRecord} of it that keeps the original in {@code source()}.
 */
package io.caravan.skydive.flow;
