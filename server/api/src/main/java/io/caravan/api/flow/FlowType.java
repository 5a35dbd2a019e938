package io.caravan.api.flow;

/** Where a record came from, numbered as goflow2's FlowMessage.FlowType (0..4); later sources follow. */
public enum FlowType {
    FLOWUNKNOWN, SFLOW_5, NETFLOW_V5, NETFLOW_V9, IPFIX, SKYDIVE, VANFLOW
}
