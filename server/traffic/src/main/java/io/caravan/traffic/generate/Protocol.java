package io.caravan.traffic.generate;

/** What the generator can send, with each protocol's usual collector port. */
public enum Protocol {
    NETFLOW_V5(2055), NETFLOW_V9(2055), IPFIX(4739), SFLOW(6343);

    private final int defaultPort;

    Protocol(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    public int defaultPort() {
        return defaultPort;
    }
}
