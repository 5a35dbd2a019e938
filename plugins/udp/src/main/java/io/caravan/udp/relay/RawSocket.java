package io.caravan.udp.relay;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.net.Inet4Address;

/**
 * A Linux raw IPv4 socket (IPPROTO_RAW, so the caller writes the IP header) through JNA: the JDK
 * has no raw sockets. Opening it needs CAP_NET_RAW.
 */
final class RawSocket implements AutoCloseable {
    private static final int AF_INET = 2;
    private static final int SOCK_RAW = 3;
    private static final int IPPROTO_RAW = 255;
    /** errno values named in error messages. */
    private static final int EPERM = 1;
    private static final int EACCES = 13;

    /** The C library calls used; declared to throw so JNA captures errno. */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength)
                throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private final LibC libc;
    private final int fd;

    private RawSocket(LibC libc, int fd) {
        this.libc = libc;
        this.fd = fd;
    }

    /** Opens the socket; the IOException says plainly when the process lacks CAP_NET_RAW. */
    static RawSocket open() throws IOException {
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new IOException("raw sockets are not available here (JNA cannot load the C library: " + e.getMessage()
                    + ")", e);
        }
        try {
            return new RawSocket(libc, libc.socket(AF_INET, SOCK_RAW, IPPROTO_RAW));
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EPERM || e.getErrorCode() == EACCES) {
                throw new IOException("the process lacks CAP_NET_RAW (run as root, or grant it: setcap cap_net_raw+ep"
                        + " on the java binary, or AmbientCapabilities=CAP_NET_RAW in the systemd unit)", e);
            }
            throw new IOException("socket(AF_INET, SOCK_RAW, IPPROTO_RAW) failed: errno " + e.getErrorCode(), e);
        }
    }

    /** Sends a whole IPv4 packet (header included) to {@code dst}. */
    void send(byte[] packet, Inet4Address dst) throws IOException {
        byte[] sockaddr = new byte[16];
        sockaddr[0] = AF_INET; // sa_family_t, little-endian host order on the platforms Caravan runs on
        System.arraycopy(dst.getAddress(), 0, sockaddr, 4, 4);
        try {
            libc.sendto(fd, packet, packet.length, 0, sockaddr, sockaddr.length);
        } catch (LastErrorException e) {
            throw new IOException("sendto on the raw socket failed: errno " + e.getErrorCode(), e);
        }
    }

    @Override
    public void close() {
        try {
            libc.close(fd);
        } catch (LastErrorException ignored) {
            // closing a socket that is already gone
        }
    }
}
