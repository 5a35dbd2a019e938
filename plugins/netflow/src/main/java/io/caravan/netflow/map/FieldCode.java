package io.caravan.netflow.map;

/**
 * What the decoder does with one template field, decided once when the template is compiled
 * ({@link CompiledTemplate}) so the per-record loop is a switch on small ints.
 */
final class FieldCode {
    static final int SKIP = 0;
    static final int BYTES = 1;
    static final int PACKETS = 2;
    static final int PROTO = 3;
    static final int TOS = 4;
    static final int TCP_FLAGS = 5;
    static final int SRC_PORT = 6;
    static final int DST_PORT = 7;
    static final int SRC_ADDR = 8;
    static final int DST_ADDR = 9;
    static final int SRC_NET = 10;
    static final int DST_NET = 11;
    static final int IN_IF = 12;
    static final int OUT_IF = 13;
    static final int NEXT_HOP = 14;
    static final int BGP_NEXT_HOP = 15;
    static final int SRC_AS = 16;
    static final int DST_AS = 17;
    static final int END_UPTIME = 18;
    static final int START_UPTIME = 19;
    static final int FLOW_LABEL = 20;
    static final int ICMP_TYPE_CODE = 21;
    static final int ICMP_TYPE = 22;
    static final int ICMP_CODE = 23;
    static final int TTL = 24;
    static final int FRAGMENT_ID = 25;
    static final int FRAGMENT_OFFSET = 26;
    static final int SRC_MAC = 27;
    static final int DST_MAC = 28;
    /** IE 58: srcVlan, and vlanId unless 243 is present. */
    static final int SRC_VLAN = 29;
    static final int DST_VLAN = 30;
    static final int VLAN_ID = 31;
    static final int IP_VERSION = 32;
    static final int ETYPE = 33;
    static final int DIRECTION = 34;
    static final int FORWARDING_STATUS = 35;
    static final int START_SECONDS = 36;
    static final int END_SECONDS = 37;
    static final int START_MILLIS = 38;
    static final int END_MILLIS = 39;
    static final int START_NTP = 40;
    static final int END_NTP = 41;
    static final int START_DELTA_MICROS = 42;
    static final int END_DELTA_MICROS = 43;
    static final int SYS_INIT_MILLIS = 44;
    static final int DURATION_MILLIS = 45;
    static final int DURATION_MICROS = 46;
    static final int SAMPLING_INTERVAL = 47;
    static final int SAMPLER_ID = 48;
    static final int SAMPLER_RANDOM_INTERVAL = 49;
    static final int PACKET_INTERVAL = 50;
    static final int PACKET_SPACE = 51;
    static final int SAMPLING_SIZE = 52;
    static final int SAMPLING_POPULATION = 53;
    static final int SAMPLING_PROBABILITY = 54;
    static final int OBSERVATION_POINT_ID = 55;
    /**
     * Kept as a record attribute under {@link CompiledTemplate}'s key for the field: enterprise elements, and
     * standard ones no record field takes (unmapped, a repeated occurrence, a fallback beside its preferred element).
     */
    static final int ATTRIBUTE = 56;
    /** IE 58 when 243 is present: srcVlan only. */
    static final int SRC_VLAN_ONLY = 57;

    private FieldCode() {
    }
}
