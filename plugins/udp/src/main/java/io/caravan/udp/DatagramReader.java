package io.caravan.udp;

import io.caravan.api.flow.Datagram;
import io.caravan.api.log.LogLimit;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;

/**
 * The read loop of one socket, run by its own thread: reads into one 64 KiB direct buffer, so no
 * datagram is ever truncated, and takes what is waiting in the socket, up to {@code batchSize}
 * datagrams, without blocking; it waits in a selector only when the socket is empty. Under load
 * batches fill, idle they hold one datagram, so batching adds no latency. With coalescing a
 * reader that has just emptied its socket under load first waits (see {@link Coalescing}) and
 * reads again, and blocks only when that read finds nothing. Each datagram is an exact-size copy
 * of the payload with its sender and the batch's receive time (one read of the context's clock
 * per batch); each batch is counted and handed on.
 *
 * <p>{@link #stop} closes the socket and the selector, which is how the loop normally ends, after
 * handing on what it had already read.
 */
final class DatagramReader implements Runnable {
    private final String address;
    private final DatagramChannel channel;
    private final Selector selector;
    private final Handoff handoff;
    private final int batchSize;
    private final Coalescing coalescing;
    private final Clock clock;
    private final UdpCounts counts;
    private final Logger log;
    private final LogLimit receiveLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private volatile boolean stopping;

    /**
     * Switches the socket to non-blocking and registers it with a selector of its own.
     *
     * @param coalescing this reader's own coalescing state
     */
    DatagramReader(String address, DatagramChannel channel, Handoff handoff, int batchSize, Coalescing coalescing,
                   Clock clock, UdpCounts counts, Logger log) throws IOException {
        this.address = address;
        this.channel = channel;
        this.handoff = handoff;
        this.batchSize = batchSize;
        this.coalescing = coalescing;
        this.clock = clock;
        this.counts = counts;
        this.log = log;
        this.selector = Selector.open();
        try {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            UdpSockets.closeQuietly(selector, log);
            throw e;
        }
    }

    @Override
    public void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(UdpConstants.MAX_DATAGRAM);
        List<Datagram> batch = newBatch();
        boolean coalesce = false;
        while (true) {
            boolean open = true;
            if (coalesce) {
                // The socket was just emptied: let datagrams gather rather than wake for each one.
                LockSupport.parkNanos(coalescing.waitNs());
                coalesce = false;
            }
            boolean emptied = false;
            // One clock read per batch, not per datagram: a batch is read within a fraction of a millisecond.
            long receivedMs = clock.millis();
            try {
                while (batch.size() < batchSize) {
                    Datagram d = receive(buffer, receivedMs);
                    if (d == null) {
                        emptied = true;
                        coalescing.emptied();
                        break;
                    }
                    coalescing.read(d.payload().length);
                    batch.add(d);
                }
            } catch (ClosedChannelException e) {
                // stop() closed the channel: the normal way out, after handing on what was read.
                if (!stopping) {
                    log.error("{}: socket closed while receiving; {} ends", address, Thread.currentThread().getName(), e);
                }
                open = false;
            }
            if (!batch.isEmpty()) {
                counts.received(batch.size());
                handoff.accept(batch);
                // An interrupt left by the route (run on this thread when there are no workers)
                // would make every select() return at once.
                Thread.interrupted();
                batch = newBatch();
                coalesce = emptied && open && coalescing.waitNs() > 0;
                continue;
            }
            if (!open) {
                return;
            }
            long blockedFrom = System.nanoTime();
            if (!await()) {
                return;
            }
            coalescing.blocked(System.nanoTime() - blockedFrom);
        }
    }

    /** Ends the loop: closes the socket and the selector (closing the socket alone does not wake a select()). */
    void stop() {
        stopping = true;
        UdpSockets.closeQuietly(channel, log);
        UdpSockets.closeQuietly(selector, log);
    }

    private List<Datagram> newBatch() {
        return new ArrayList<>(Math.min(batchSize, 64));
    }

    /** The next waiting datagram, or null when the socket is empty (or a receive failed, which is logged). */
    private Datagram receive(ByteBuffer buffer, long receivedMs) throws ClosedChannelException {
        buffer.clear();
        InetSocketAddress sender;
        try {
            sender = (InetSocketAddress) channel.receive(buffer);
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (receiveLog.allow()) {
                log.warn("{}: receive failed (logged at most every {} s): {}", address, receiveLog.intervalSeconds(),
                        e.toString());
            }
            return null;
        }
        if (sender == null) {
            return null;
        }
        buffer.flip();
        byte[] payload = new byte[buffer.remaining()];
        buffer.get(payload);
        return new Datagram(payload, sender, receivedMs);
    }

    /** Waits until the socket is readable; false when the selector was closed (the reader is stopping). */
    private boolean await() {
        try {
            selector.select();
            selector.selectedKeys().clear();
            return selector.isOpen();
        } catch (ClosedSelectorException e) {
            return false;
        } catch (IOException e) {
            if (receiveLog.allow()) {
                log.warn("{}: waiting for datagrams failed (logged at most every {} s): {}", address,
                        receiveLog.intervalSeconds(), e.toString());
            }
            return selector.isOpen();
        }
    }
}
