package io.caravan.api.flow;

import java.net.InetSocketAddress;

/**
 * One received datagram, the input of decoder stages.
 *
 * @param payload    the datagram bytes, whole (never truncated to a receive buffer)
 * @param sender     the exporter's address and port
 * @param receivedMs epoch milliseconds when it was received
 */
public record Datagram(byte[] payload, InetSocketAddress sender, long receivedMs) {
}
