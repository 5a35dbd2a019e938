package io.caravan.erspan.socket;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.net.Inet4Address;

/**
 * A Linux raw IPv4 socket for GRE ({@code socket(AF_INET, SOCK_RAW, IPPROTO_GRE)}) through JNA,
 * since the JDK has no raw sockets: the caller writes GRE onwards, the kernel adds the IP header.
 * Sends never block ({@code MSG_DONTWAIT}): a full socket buffer is reported as {@link Result#BUSY}
 * so a slow link costs the route a counted drop, never a stall. Thread-safe (sendto is).
 */
public final class GreSocket implements GreSender {
    private static final int AF_INET = 2;
    private static final int SOCK_RAW = 3;
    private static final int IPPROTO_GRE = 47;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int EPERM = 1;
    private static final int EAGAIN = 11;
    private static final int EACCES = 13;
    private static final int ENOBUFS = 105;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;

    /** How to grant the capability, quoted in the error so an operator can act on it. */
    public static final String GRANT_CAP_NET_RAW = "grant it to the server: in its systemd unit"
            + " AmbientCapabilities=CAP_NET_RAW (and CapabilityBoundingSet including CAP_NET_RAW), or"
            + " `sudo setcap cap_net_raw+ep \"$(readlink -f \"$(command -v java)\")\"` on the JVM that runs Caravan,"
            + " or run it as root";

    /** What became of one packet. */
    public enum Result { SENT, BUSY }

    /** The C library calls used; declared to throw so JNA captures errno. */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength)
                throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int setsockopt(int fd, int level, int name, int[] value, int length) throws LastErrorException;
    }

    private final LibC libc;
    private final int fd;
    private final byte[] sockaddr;

    private GreSocket(LibC libc, int fd, Inet4Address target) {
        this.libc = libc;
        this.fd = fd;
        this.sockaddr = new byte[16];
        sockaddr[0] = AF_INET; // sa_family_t in host order, little-endian on the platforms Caravan runs on
        System.arraycopy(target.getAddress(), 0, sockaddr, 4, 4);
    }

    /** Opens a socket sending to {@code target}; the IOException says plainly when CAP_NET_RAW is missing and how to grant it. */
    public static GreSocket open(Inet4Address target) throws IOException {
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new IOException("raw sockets are not available here (JNA cannot load the C library: "
                    + e.getMessage() + ")", e);
        }
        int fd;
        try {
            fd = libc.socket(AF_INET, SOCK_RAW, IPPROTO_GRE);
        } catch (LastErrorException e) {
            throw openFailed(e.getErrorCode(), e);
        }
        try {
            // The socket also receives a copy of every GRE packet reaching this host (it is never
            // read): the smallest receive buffer keeps what the kernel holds for it negligible.
            libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, new int[] {1}, 4);
        } catch (LastErrorException ignored) {
            // the default buffer then, bounded all the same
        }
        return new GreSocket(libc, fd, target);
    }

    /** The error for a failed {@code socket()} call with this errno. */
    static IOException openFailed(int errno, Exception cause) {
        if (errno == EPERM || errno == EACCES) {
            return new IOException("the process lacks CAP_NET_RAW, which a raw GRE socket needs; " + GRANT_CAP_NET_RAW,
                    cause);
        }
        return new IOException("socket(AF_INET, SOCK_RAW, IPPROTO_GRE) failed: errno " + errno, cause);
    }

    /** Sends one packet (GRE onwards) without blocking; BUSY when the socket's buffer is full. */
    @Override
    public Result send(byte[] packet) throws IOException {
        try {
            libc.sendto(fd, packet, packet.length, MSG_DONTWAIT, sockaddr, sockaddr.length);
            return Result.SENT;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN || e.getErrorCode() == ENOBUFS) {
                return Result.BUSY;
            }
            throw new IOException("sendto on the raw GRE socket failed: errno " + e.getErrorCode(), e);
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
