package io.caravan.udp;

/** Names the udp component shares with its users. */
public final class UdpConstants {
    /** The URI scheme: {@code udp://HOST:PORT?options}. */
    public static final String SCHEME = "udp";
    /**
     * The header holding the sender's {@link java.net.InetSocketAddress}; camel-netty's name, so
     * routes written for {@code netty:udp} keep working.
     */
    public static final String REMOTE_ADDRESS = "CamelNettyRemoteAddress";
    /** The receive buffer size: the largest UDP payload, so a datagram is never truncated. */
    public static final int MAX_DATAGRAM = 65_535;
    /** Counter: datagrams received from the sockets (processed, queued or dropped), tagged {@code endpoint}. */
    public static final String METER_DATAGRAMS = "caravan.udp.datagrams";
    /** Counter: datagrams dropped because the worker queue was full, tagged {@code endpoint}. */
    public static final String METER_QUEUE_DROPS = "caravan.udp.queue.drops";
    /** Counter: datagrams whose exchange failed in the route, tagged {@code endpoint}. */
    public static final String METER_PROCESS_ERRORS = "caravan.udp.process.errors";
    /** Gauge: datagrams waiting in the worker queue, tagged {@code endpoint}. */
    public static final String METER_QUEUE_DEPTH = "caravan.udp.queue.depth";
    /** The tag naming the endpoint, {@code udp://HOST:PORT}. */
    public static final String TAG_ENDPOINT = "endpoint";

    private UdpConstants() {
    }
}
