package io.caravan.udp;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * The sockets of one started endpoint: {@code sockets} of them bound to one address and port with
 * SO_REUSEPORT, or a single one where the platform has no SO_REUSEPORT (Windows), since the count
 * is a way to spread load and one socket still receives everything (a WARN says so). All are bound
 * or none: a failure closes those already bound. Binding also checks the receive buffer the kernel
 * granted and warns once when it is below what was asked for.
 */
final class UdpSockets implements Closeable {
    private static final Path RMEM_MAX = Path.of("/proc/sys/net/core/rmem_max");

    private final List<DatagramChannel> channels;
    private final InetSocketAddress local;
    private final int effectiveReceiveBufferSize;
    private final Logger log;

    private UdpSockets(List<DatagramChannel> channels, InetSocketAddress local, int effectiveReceiveBufferSize,
                       Logger log) {
        this.channels = channels;
        this.log = log;
        this.local = local;
        this.effectiveReceiveBufferSize = effectiveReceiveBufferSize;
    }

    /**
     * Binds the endpoint's sockets, blocking (the readers switch them to non-blocking).
     *
     * @throws IOException naming the endpoint: an unknown host, an address in use, ...
     */
    static UdpSockets bind(UdpConfiguration config, Logger log) throws IOException {
        String address = config.address();
        InetAddress ip = resolve(config);
        List<DatagramChannel> bound = new ArrayList<>();
        try {
            int port = config.port();
            int sockets = socketsFor(config, ip, log);
            for (int i = 0; i < sockets; i++) {
                DatagramChannel channel = bind(address, ip, port, sockets > 1, config.receiveBufferSize(), log);
                bound.add(channel);
                // With port 0 the first socket picks the port; the others join it.
                port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            }
            InetSocketAddress local = (InetSocketAddress) bound.get(0).getLocalAddress();
            int effective = bound.get(0).getOption(StandardSocketOptions.SO_RCVBUF);
            warnIfReceiveBufferCapped(address, config.receiveBufferSize(), effective, log);
            return new UdpSockets(List.copyOf(bound), local, effective, log);
        } catch (IOException | RuntimeException e) {
            bound.forEach(c -> closeQuietly(c, log));
            throw e;
        }
    }

    /** The bound sockets, at least one. */
    List<DatagramChannel> channels() {
        return channels;
    }

    /** The address the sockets are bound to, with the real port when the URI says 0. */
    InetSocketAddress localAddress() {
        return local;
    }

    /** SO_RCVBUF as the kernel reports it after binding (many Linux kernels report twice the granted size). */
    int effectiveReceiveBufferSize() {
        return effectiveReceiveBufferSize;
    }

    /** Closes every socket; closing one already closed does nothing. */
    @Override
    public void close() {
        channels.forEach(c -> closeQuietly(c, log));
    }

    static InetAddress resolve(UdpConfiguration config) throws UnknownHostException {
        try {
            return InetAddress.getByName(config.host());
        } catch (UnknownHostException e) {
            throw new UnknownHostException(config.address() + ": cannot resolve host '" + config.host() + "'");
        }
    }

    /** The sockets to bind: as configured, or 1 where the platform has no SO_REUSEPORT. */
    private static int socketsFor(UdpConfiguration config, InetAddress ip, Logger log) throws IOException {
        if (config.sockets() == 1) {
            return 1;
        }
        try (DatagramChannel probe = open(ip)) {
            if (probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                return config.sockets();
            }
        }
        log.warn("{}: option 'sockets' is {}, which needs SO_REUSEPORT, and this platform's DatagramChannel does not"
                + " support it; receiving on 1 socket", config.address(), config.sockets());
        return 1;
    }

    private static DatagramChannel open(InetAddress ip) throws IOException {
        return DatagramChannel.open(ip instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
    }

    private static DatagramChannel bind(String address, InetAddress ip, int port, boolean reusePort, int receiveBuffer,
                                        Logger log) throws IOException {
        DatagramChannel channel = open(ip);
        try {
            if (reusePort) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            channel.bind(new InetSocketAddress(ip, port));
            return channel;
        } catch (BindException e) {
            closeQuietly(channel, log);
            // The JDK's message ("Address already in use") after ours, as the one message a route start failure shows.
            throw new BindException(address + ": cannot bind: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, log);
            throw e;
        }
    }

    /**
     * On Linux the kernel grants min(asked, net.core.rmem_max) and may report the value doubled,
     * so compare with rmem_max itself; elsewhere compare with what the socket reports.
     */
    static void warnIfReceiveBufferCapped(String address, long asked, int effective, Logger log) {
        long max = rmemMax();
        boolean capped = max > 0 ? asked > max : effective < asked;
        if (capped) {
            log.warn("{}: the kernel capped SO_RCVBUF below the {} bytes asked for (it reports {}{}); bursts may be"
                    + " dropped by the kernel: raise net.core.rmem_max (sysctl -w net.core.rmem_max={})",
                    address, asked, effective, max > 0 ? ", net.core.rmem_max is " + max : "", asked);
        }
    }

    /** net.core.rmem_max, or -1 where there is no such file. */
    private static long rmemMax() {
        // One read: a sysctl file answers a read at a non-zero offset with end-of-file, which cuts
        // Files.readString (it reads a zero-size file byte by byte) to the first digit.
        byte[] buffer = new byte[32];
        try (InputStream in = Files.newInputStream(RMEM_MAX)) {
            int n = in.read(buffer);
            return n <= 0 ? -1 : Long.parseLong(new String(buffer, 0, n, StandardCharsets.US_ASCII).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Closes a socket or selector that is going away anyway; a failure is only logged at debug. */
    static void closeQuietly(Closeable closeable, Logger log) {
        try {
            closeable.close();
        } catch (IOException e) {
            log.debug("Closing {} failed: {}", closeable, e.toString());
        }
    }
}
