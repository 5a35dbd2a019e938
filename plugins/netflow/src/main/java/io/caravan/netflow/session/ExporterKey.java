package io.caravan.netflow.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Who sent a datagram, as far as templates and accounting care: the exporter's address, plus its source port
 * when the stage keys templates by port ({@code templateKeyIncludesPort}); port -1 otherwise.
 *
 * @param address the exporter address, null when the datagram came without a sender
 * @param port    the source port, or -1 when not part of the key
 */
public record ExporterKey(InetAddress address, int port) {
    /** Datagrams handed over without a sender (tests, replays). */
    public static final ExporterKey UNKNOWN = new ExporterKey(null, -1);

    public static ExporterKey of(InetSocketAddress sender, boolean withPort) {
        if (sender == null || sender.getAddress() == null) {
            return UNKNOWN;
        }
        return new ExporterKey(sender.getAddress(), withPort ? sender.getPort() : -1);
    }

    /** The address bytes (4 or 16), or null for {@link #UNKNOWN}. */
    public byte[] addressBytes() {
        return address == null ? null : address.getAddress();
    }

    /** Text form without DNS: {@code 192.0.2.1}, {@code 2001:db8::1}, with {@code :port} / {@code [..]:port} when keyed by port. */
    @Override
    public String toString() {
        if (address == null) {
            return "unknown";
        }
        String host = address.getHostAddress();
        if (port < 0) {
            return host;
        }
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
