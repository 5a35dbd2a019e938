package io.caravan.udp;

import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/**
 * The options of one {@code udp://HOST:PORT} endpoint, bound from the URI by Camel (an unknown
 * option fails the endpoint the way it does for every Camel component). The annotations are the
 * one place each option is described; the README's option table is checked against them.
 */
@UriParams
public class UdpConfiguration {
    /** Enough to carry any burst in one pass; more would only delay the first datagram's records. */
    static final int MAX_BATCH = 4096;
    /** 10 ms: past that the wait is latency, not coalescing. */
    static final int MAX_COALESCE_MICROS = 10_000;

    @UriPath(description = "The local address to bind: an IPv4 or IPv6 address or a host name; 0.0.0.0 for every"
            + " IPv4 address, [::] for every address. IPv6 addresses go in brackets.")
    @Metadata(required = true)
    private String host;

    @UriPath(description = "The local UDP port to bind; 0 binds a free port chosen by the system.")
    @Metadata(required = true)
    private int port;

    @UriParam(defaultValue = "1", description = "How many sockets to bind to the same address and port (with"
            + " SO_REUSEPORT when more than 1), each with its own reader thread; the kernel spreads exporters across"
            + " them by address hash.")
    private int sockets = 1;

    @UriParam(defaultValue = "16777216", description = "SO_RCVBUF of each socket, in bytes; the kernel caps it at"
            + " net.core.rmem_max, and a capped value is logged at WARN once per start.")
    private int receiveBufferSize = 16_777_216;

    @UriParam(defaultValue = "0", description = "Threads that run the route; 0 runs it on the socket's reader thread."
            + " More than 0 puts datagrams into one bounded queue that these threads take from.")
    private int workers;

    @UriParam(defaultValue = "10000", description = "Capacity of the worker queue (used when workers is more than 0), in"
            + " exchanges: datagrams, or batches when batchSize is more than 1; one that finds it full is dropped and"
            + " its datagrams counted.")
    private int queueSize = 10_000;

    @UriParam(defaultValue = "1", description = "The most datagrams one exchange carries, 1 to 4096. With 1 the body"
            + " is a Datagram; with more it is a java.util.List of the Datagrams that were waiting in the socket"
            + " (at least one: a batch never waits to fill), which decoder stages take as they take one, and the rest"
            + " of the route runs once for all of them.")
    private int batchSize = 1;

    @UriParam(defaultValue = "0", description = "Microseconds a reader that has just emptied its socket waits before"
            + " reading it again, 0 to 10000; 0 blocks for the next datagram at once. While it waits, datagrams gather"
            + " in the socket and are read in one go, so neither the reader nor the sender's kernel pays a wake-up per"
            + " datagram. The wait is capped by the size of the receive buffer, and shortens by itself when what"
            + " gathers in one wait fills more than a quarter of it.")
    private int coalesceMicros;

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public int getSockets() {
        return sockets;
    }

    public void setSockets(int sockets) {
        this.sockets = sockets;
    }

    public int getReceiveBufferSize() {
        return receiveBufferSize;
    }

    public void setReceiveBufferSize(int receiveBufferSize) {
        this.receiveBufferSize = receiveBufferSize;
    }

    public int getWorkers() {
        return workers;
    }

    public void setWorkers(int workers) {
        this.workers = workers;
    }

    public int getQueueSize() {
        return queueSize;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public int getCoalesceMicros() {
        return coalesceMicros;
    }

    public void setCoalesceMicros(int coalesceMicros) {
        this.coalesceMicros = coalesceMicros;
    }

    /** {@code udp://HOST:PORT}: how logs, errors and the meters' {@code endpoint} tag name the endpoint. */
    public String address() {
        return UdpConstants.SCHEME + "://" + (host != null && host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":"
                + port;
    }

    /**
     * Sets host and port from the URI's remainder, {@code HOST:PORT} or {@code [IPV6]:PORT}.
     *
     * @throws IllegalArgumentException when either is missing or the port is not a number
     */
    void setHostAndPort(String remaining) {
        String r = remaining == null ? "" : remaining;
        int colon = r.lastIndexOf(':');
        String h = colon < 0 ? "" : r.substring(0, colon);
        String p = colon < 0 ? "" : r.substring(colon + 1);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        } else if (h.indexOf(':') >= 0) {
            h = "";
        }
        if (h.isEmpty() || !p.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException(UdpConstants.SCHEME + ": needs a local address and port, as "
                    + UdpConstants.SCHEME + "://0.0.0.0:2055 or " + UdpConstants.SCHEME + "://[::]:2055; got '" + r
                    + "'");
        }
        host = h;
        port = Integer.parseInt(p);
    }

    /** @throws IllegalArgumentException naming the option and what is wrong with its value */
    void validate() {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(UdpConstants.SCHEME + ": the port must be 0 to 65535; got " + port);
        }
        atLeast("sockets", sockets, 1);
        atLeast("receiveBufferSize", receiveBufferSize, 1);
        atLeast("workers", workers, 0);
        atLeast("queueSize", queueSize, 1);
        atLeast("batchSize", batchSize, 1);
        atLeast("coalesceMicros", coalesceMicros, 0);
        if (coalesceMicros > MAX_COALESCE_MICROS) {
            throw new IllegalArgumentException(UdpConstants.SCHEME + ": option 'coalesceMicros' must be at most "
                    + MAX_COALESCE_MICROS + "; got " + coalesceMicros);
        }
        if (batchSize > MAX_BATCH) {
            throw new IllegalArgumentException(UdpConstants.SCHEME + ": option 'batchSize' must be at most " + MAX_BATCH
                    + "; got " + batchSize);
        }
    }

    private static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(UdpConstants.SCHEME + ": option '" + option + "' must be at least " + min
                    + "; got " + value);
        }
    }
}
