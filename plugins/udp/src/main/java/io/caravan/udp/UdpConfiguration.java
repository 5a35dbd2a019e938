package io.caravan.udp;

import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.StageOptions;
import java.util.List;
import java.util.Map;

/**
 * The settings of one {@code udp://HOST:PORT?options} endpoint: the local address from the URI's
 * path, the options bound against {@link #OPTIONS} by {@link StageOptions#bindComponent}, so an
 * unknown, ill-typed or out-of-range option fails the endpoint with the same kind of message a
 * stage option does. The specs are the one place each option is described, bounded and given its
 * default ({@code caravan plugins}, the admin API and the README table are made from them).
 *
 * @param host              the local address to bind: an IPv4 or IPv6 address or a host name
 * @param port              the local UDP port, 0 for one the system chooses
 * @param sockets           sockets bound to the address and port, each with its own reader
 * @param receiveBufferSize SO_RCVBUF asked for each socket, in bytes
 * @param workers           threads that run the route from a queue; 0 runs it on the readers
 * @param queueSize         capacity of the worker queue, in exchanges
 * @param batchSize         the most datagrams one exchange carries
 * @param coalesceMicros    how long a reader that emptied its socket waits before reading again
 * @param transport         how the sockets are read: {@code nio} (the JDK's DatagramChannel) or {@code epoll}
 *                          (Netty's native epoll transport, several datagrams per recvmmsg call)
 */
public record UdpConfiguration(String host, int port, int sockets, int receiveBufferSize, int workers, int queueSize,
                               int batchSize, int coalesceMicros, String transport) {
    /** {@link #transport()} of the JDK's DatagramChannel path. */
    public static final String NIO = "nio";
    /** {@link #transport()} of Netty's native epoll path. */
    public static final String EPOLL = "epoll";


    static final OptionSpec SOCKETS = OptionSpec.integer("sockets", 1, "How many sockets to bind to the same address"
            + " and port (with SO_REUSEPORT when more than 1), each with its own reader thread; the kernel spreads"
            + " exporters across them by address hash.").min(1).max(64);
    static final OptionSpec RECEIVE_BUFFER_SIZE = OptionSpec.size("receiveBufferSize", "16MiB", "SO_RCVBUF of each"
            + " socket; the kernel caps it at net.core.rmem_max, and a capped value is logged at WARN once per start.")
            .min(1).max("1GiB");
    static final OptionSpec WORKERS = OptionSpec.integer("workers", 0, "Threads that run the route; 0 runs it on the"
            + " socket's reader thread. More than 0 puts datagrams into one bounded queue that these threads take"
            + " from.").min(0).max(256);
    static final OptionSpec QUEUE_SIZE = OptionSpec.integer("queueSize", 10_000, "Capacity of the worker queue (used"
            + " when workers is more than 0), in exchanges (batches of datagrams); one that finds it full is dropped"
            + " and its datagrams counted.").min(1).max(1_000_000);
    static final OptionSpec BATCH_SIZE = OptionSpec.integer("batchSize", 1, "The most datagrams one exchange carries."
            + " The body is an io.caravan.api.flow.DatagramBatch of the datagrams that were waiting in the socket (at"
            + " least one: a batch never waits to fill), which decoder stages take whole, and the rest of the route"
            + " runs once for all of them.").min(1).max(4096);
    static final OptionSpec COALESCE_MICROS = OptionSpec.integer("coalesceMicros", 0, "Microseconds a reader that has"
            + " just emptied its socket waits before reading it again; 0 blocks for the next datagram at once. While it"
            + " waits, datagrams gather in the socket and are read in one go, so neither the reader nor the sender's"
            + " kernel pays a wake-up per datagram. The wait is capped by the size of the receive buffer, and shortens"
            + " by itself when what gathers in one wait fills more than a quarter of it.").min(0).max(10_000);
    static final OptionSpec TRANSPORT = OptionSpec.choice("transport", NIO, "How the sockets are read: nio, the"
            + " JDK's DatagramChannel, one datagram per system call; or epoll, Netty's native epoll transport (Linux),"
            + " which reads up to batchSize (at most 32) datagrams per recvmmsg call into pooled buffers. Where the"
            + " native transport cannot load, epoll falls back to nio with a WARN; the start log says which one runs.",
            NIO, EPOLL);
    /** Every option of the endpoint, in the order the docs list them. */
    static final List<OptionSpec> OPTIONS = List.of(SOCKETS, RECEIVE_BUFFER_SIZE, WORKERS, QUEUE_SIZE, BATCH_SIZE,
            COALESCE_MICROS, TRANSPORT);

    /**
     * The endpoint's settings from the URI's path and parameters.
     *
     * @param remaining  the URI after the scheme: {@code HOST:PORT} or {@code [IPV6]:PORT}
     * @param parameters the URI's options, as Camel passes them
     * @throws IllegalArgumentException when the address is missing or malformed
     * @throws OptionException          naming the component and the option that is unknown, ill-typed or out of range
     */
    static UdpConfiguration of(String remaining, Map<String, ?> parameters) throws OptionException {
        String r = remaining == null ? "" : remaining;
        int colon = r.lastIndexOf(':');
        String h = colon < 0 ? "" : r.substring(0, colon);
        String p = colon < 0 ? "" : r.substring(colon + 1);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        } else if (h.indexOf(':') >= 0) {
            h = "";
        }
        if (h.isEmpty() || !p.matches("[0-9]{1,5}") || Integer.parseInt(p) > 65_535) {
            throw new IllegalArgumentException(UdpConstants.SCHEME + ": needs a local address and a port of 0 to 65535,"
                    + " as " + UdpConstants.SCHEME + "://0.0.0.0:2055 or " + UdpConstants.SCHEME + "://[::]:2055; got '"
                    + r + "'");
        }
        StageOptions o = StageOptions.bindComponent(UdpConstants.SCHEME, OPTIONS, parameters);
        return new UdpConfiguration(h, Integer.parseInt(p), o.getInt(SOCKETS.name()),
                Math.toIntExact(o.getSize(RECEIVE_BUFFER_SIZE.name())), o.getInt(WORKERS.name()),
                o.getInt(QUEUE_SIZE.name()), o.getInt(BATCH_SIZE.name()), o.getInt(COALESCE_MICROS.name()),
                o.getString(TRANSPORT.name()));
    }

    /** {@code udp://HOST:PORT}: how logs, errors and the meters' {@code endpoint} tag name the endpoint. */
    public String address() {
        return UdpConstants.SCHEME + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
