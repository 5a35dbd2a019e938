package io.caravan.traffic.generate;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the generator can send: each protocol's name on the command line, its usual collector
 * port, and the most flow records (sFlow: flow samples) one of its datagrams carries here.
 *
 * <p>The record limits keep every datagram the generator sends, the template-carrying ones
 * included, within {@link #MAX_DATAGRAM} bytes: one unfragmented 1500-byte IPv4 packet, as real
 * exporters send. NetFlow v5's 30 is also the most its header allows.
 */
public enum Protocol {
    NETFLOW_V5("netflow-v5", 2055, 30),
    NETFLOW_V9("netflow-v9", 2055, 21),
    IPFIX("ipfix", 4739, 18),
    SFLOW("sflow", 6343, 5);

    /** UDP payload of one 1500-byte IPv4 packet (1500 - 20 IP - 8 UDP). */
    public static final int MAX_DATAGRAM = 1472;

    private final String cliName;
    private final int defaultPort;
    private final int maxRecords;

    Protocol(String cliName, int defaultPort, int maxRecords) {
        this.cliName = cliName;
        this.defaultPort = defaultPort;
        this.maxRecords = maxRecords;
    }

    /** The name {@code caravan generate -p} takes: netflow-v5, netflow-v9, ipfix, sflow. */
    public String cliName() {
        return cliName;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The most records (sFlow: samples) per datagram that keep it within {@link #MAX_DATAGRAM} bytes. */
    public int maxRecords() {
        return maxRecords;
    }

    /** The protocol of a command-line name, case-insensitive; {@code _} reads as {@code -}. */
    public static Optional<Protocol> byName(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values()).filter(p -> p.cliName.equals(n)).findFirst();
    }

    /** Every command-line name, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(Protocol::cliName).collect(Collectors.joining(", "));
    }
}
