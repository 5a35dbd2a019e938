package io.caravan.udp;

/**
 * How long a reader that has just emptied its socket waits before reading it again. Waiting lets
 * datagrams gather, so one wake-up takes many of them, and the sending side's kernel does not
 * wake the reader for each one: at 100k datagrams/s that halves the reader's CPU per datagram.
 * But what gathers sits in the socket's receive buffer, and a buffer the kernel capped small
 * (net.core.rmem_max left at its default) would overflow during a long wait. So the wait is
 * capped at what a burst of {@value #BURST_PER_MS} full-size datagrams per millisecond fills a
 * quarter of the buffer in (42 µs for the 416 KiB the kernel grants by default, 3.3 ms for 32 MiB),
 * and it adapts: it halves whenever one wait's gathering took more than a quarter of the buffer,
 * and grows back towards the cap while gatherings stay under a sixteenth. Where datagrams come
 * further apart than the wait (the reader's last block in its selector lasted longer), waiting
 * would gather nothing and only add a timer wake-up, so there is none.
 *
 * <p>One per reader thread; not thread-safe.
 */
final class Coalescing {
    /** The shortest wait it adapts down to: even 1M datagrams/s gather only ~16 in it. */
    static final long MIN_WAIT_NS = 16_000;
    /**
     * What a datagram costs the receive buffer beyond its payload (the kernel charges its buffer's
     * whole allocation): a conservative estimate for loopback and common NIC drivers.
     */
    static final int OVERHEAD_BYTES = 1024;
    /** The burst the cap assumes: 1M datagrams/s, more than one socket's reader takes. */
    static final int BURST_PER_MS = 1000;
    private static final int FULL_SIZE_BYTES = 1500 + OVERHEAD_BYTES;

    private final long maxWaitNs;
    private final long bufferBytes;
    private long waitNs;
    private long gathered;
    private long lastBlockedNs;

    /**
     * @param configuredWaitNs the configured wait; 0 turns waiting off
     * @param bufferBytes      the socket's receive buffer as the kernel reports it (SO_RCVBUF)
     */
    Coalescing(long configuredWaitNs, long bufferBytes) {
        this.maxWaitNs = cap(configuredWaitNs, bufferBytes);
        this.bufferBytes = bufferBytes;
        this.waitNs = maxWaitNs;
    }

    /** The longest wait a socket with this receive buffer allows, at most the configured one. */
    static long cap(long configuredWaitNs, long bufferBytes) {
        long burstBytesPerMs = (long) BURST_PER_MS * FULL_SIZE_BYTES;
        return Math.min(configuredWaitNs, bufferBytes / 4 * 1_000_000 / burstBytesPerMs);
    }

    /** The wait to take now that the socket is empty; 0 for none. */
    long waitNs() {
        return lastBlockedNs < waitNs ? waitNs : 0;
    }

    /** The reader blocked in its selector this long before the socket had a datagram again. */
    void blocked(long ns) {
        lastBlockedNs = ns;
    }

    /** Counts a datagram read since the last wait. */
    void read(int payloadBytes) {
        gathered += payloadBytes + OVERHEAD_BYTES;
    }

    /** The socket is empty again: adapt the wait to how much gathered since the last one. */
    void emptied() {
        if (maxWaitNs == 0) {
            return;
        }
        if (gathered > bufferBytes / 4) {
            waitNs = Math.max(Math.min(MIN_WAIT_NS, maxWaitNs), waitNs / 2);
        } else if (gathered < bufferBytes / 16) {
            waitNs = Math.min(maxWaitNs, waitNs * 2);
        }
        gathered = 0;
    }
}
