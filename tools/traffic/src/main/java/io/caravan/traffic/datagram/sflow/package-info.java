/**
 * The structures of an sFlow version 5 datagram (sflow.org/sflow_version_5.txt, sFlow drop
 * monitoring), one class each and named as the spec names them, written in XDR by {@link
 * io.caravan.traffic.datagram.sflow.Xdr}. {@link io.caravan.traffic.datagram.SflowBuilder} is
 * where a datagram starts; the classes here are what its sample and record lambdas receive.
 *
 * <pre>
 * sample_datagram_v5  SflowBuilder
 *   flow_sample / flow_sample_expanded          FlowSample       (FlowRecords)
 *     sampled_header                            SampledHeader
 *     sampled_ethernet                          SampledEthernet
 *     sampled_ipv4 / sampled_ipv6               SampledIp
 *     extended_switch / _router / _gateway      ExtendedSwitch, ExtendedRouter, ExtendedGateway
 *   counters_sample / counters_sample_expanded  CountersSample
 *     if_counters                               IfCounters
 *     ethernet_counters                         EthernetCounters
 *   discarded_packet                            DiscardedPacket  (FlowRecords)
 * </pre>
 */
package io.caravan.traffic.datagram.sflow;
