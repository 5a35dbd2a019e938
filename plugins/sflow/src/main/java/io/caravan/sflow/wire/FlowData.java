package io.caravan.sflow.wire;

/** One decoded flow record of a flow or discarded-packet sample; unknown record formats are skipped, not represented. */
public sealed interface FlowData
        permits SampledHeader, SampledEthernet, SampledIpv4, SampledIpv6, ExtendedSwitch, ExtendedRouter, ExtendedGateway {
}
