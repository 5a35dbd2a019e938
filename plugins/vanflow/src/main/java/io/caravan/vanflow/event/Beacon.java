package io.caravan.vanflow.event;

/**
 * An event source's BEACON (application properties of the message on mc/sfe.all).
 *
 * @param sourceType the beacon's {@code sourceType}: {@code ROUTER} or {@code CONTROLLER}
 * @param address    the record address prefix it announces (e.g. {@code sfe.x7f2q:0})
 * @param direct     the address FLUSH is sent to
 * @param identity   the source's id
 * @param version    the beacon's protocol version (v)
 */
public record Beacon(String sourceType, String address, String direct, String identity, long version) {
}
