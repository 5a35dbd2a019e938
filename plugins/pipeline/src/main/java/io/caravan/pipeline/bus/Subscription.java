package io.caravan.pipeline.bus;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.log.LogLimit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;

/**
 * One subscriber's bounded queue, counted in records. A producer offers a batch; it is copied
 * (the producer's route goes on with the original) only once it has room, so a full queue costs
 * the producer a lock and a count, never memory. Closed, it takes nothing more and its consumer
 * drains what is left, including batches being copied in at that moment.
 *
 * <p>With a {@link Spool}, a batch that finds the queue full goes to disk instead, and so does
 * every batch after it until the spool is empty again: what is queued is always older than what is
 * spooled, so the consumer takes the queue first, then the spool, and sees every batch in the order
 * accepted. A closed subscription leaves its spool, and what {@link #release} puts in front of it,
 * for the next start.
 */
final class Subscription {
    /** A queued batch and when it was accepted. */
    record Entry(FlowBatch batch, long acceptedNanos) {
    }

    private final String name;
    private final int capacity;
    private final BusConfiguration.Overflow overflow;
    private final long offerTimeoutNanos;
    private final SubscriberStats stats;
    /** Null: memory only. Guarded by lock. */
    private final Spool spool;
    private final Logger log;
    private final LogLimit spoolLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    /** Records queued or being copied in (reserved), guarded by lock. */
    private int records;
    /** Batches reserved and being copied in, guarded by lock. */
    private int copying;
    private boolean closed;
    /** Set by {@link #release}: the consumer is gone, and what comes in late is dropped and counted. */
    private boolean released;
    /**
     * A hint, read without the lock: the last offer went to the spool, so the next one probably
     * does too and encodes its frame before taking the lock (not while the consumer waits on it).
     */
    private volatile boolean spilling;

    Subscription(BusConfiguration configuration, SubscriberStats stats, Spool spool, Logger log) {
        this.name = configuration.subscriber();
        this.capacity = configuration.capacity();
        this.overflow = configuration.overflow();
        this.offerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(configuration.offerTimeoutMs());
        this.stats = stats;
        this.spool = spool;
        this.log = log;
    }

    String name() {
        return name;
    }

    int capacity() {
        return capacity;
    }

    BusConfiguration.Overflow overflowPolicy() {
        return overflow;
    }

    /**
     * Queues a copy of the batch, or drops it and counts its records when there is no room (at
     * once with overflow=drop, after at most offerTimeoutMs with block) or the queue is closed.
     *
     * @return whether the batch was accepted
     */
    boolean offer(FlowBatch batch) {
        int n = batch.size();
        if (n == 0) {
            return true;
        }
        Spool.Frame frame = null;
        if (spilling) {
            try {
                frame = spool.encode(batch);
            } catch (IOException | RuntimeException x) {
                // Left to spill, which encodes again under the lock and counts and logs the failure.
            }
        }
        lock.lock();
        try {
            if (spool != null && !closed && (!spool.isEmpty() || records > 0 && records + n > capacity)) {
                return spill(batch, frame);
            }
            if (!reserve(n)) {
                stats.overflowed(n);
                return false;
            }
        } finally {
            lock.unlock();
        }
        Entry e;
        try {
            e = new Entry(copy(batch), System.nanoTime());
        } catch (RuntimeException | Error x) {
            lock.lock();
            try {
                records -= n;
                copying--;
                notFull.signalAll();
                notEmpty.signalAll();
            } finally {
                lock.unlock();
            }
            throw x;
        }
        lock.lock();
        try {
            copying--;
            if (released) {
                records -= n;
                late(n);
                return false;
            }
            // Counted before the consumer can see it, so records_out never runs ahead of records_in.
            stats.accepted(n);
            queue.addLast(e);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        return true;
    }

    /** Under the lock: records that arrived after {@link #release}, when no one reads the queue. */
    private void late(int n) {
        stats.overflowed(n);
        log.warn("bus subscriber '{}': {} records arrived after its consumer stopped; counted in caravan.bus.overflow",
                name, n);
    }

    /** Under the lock: makes room for n records, waiting when the policy says so. */
    private boolean reserve(int n) {
        long nanos = overflow == BusConfiguration.Overflow.BLOCK ? offerTimeoutNanos : 0;
        // A batch larger than the whole queue is taken only into an empty one, so it is not refused forever.
        while (!closed && records > 0 && records + n > capacity) {
            if (nanos <= 0) {
                return false;
            }
            try {
                nanos = notFull.awaitNanos(nanos);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (closed) {
            return false;
        }
        records += n;
        copying++;
        return true;
    }

    /**
     * Under the lock: the batch onto the spool (written, so not copied), or dropped and counted when
     * the spool is full or cannot be written. {@code frame} is the batch already encoded, if it was.
     */
    private boolean spill(FlowBatch batch, Spool.Frame frame) {
        int n = batch.size();
        spilling = true;
        try {
            if (spool.append(frame != null ? frame : spool.encode(batch))) {
                stats.accepted(n);
                stats.spooled(n);
                notEmpty.signal();
                return true;
            }
            if (spoolLog.allow()) {
                log.warn("bus subscriber '{}': queue and spool ({}, {} bytes) full, batches dropped and counted in"
                        + " caravan.bus.overflow; logged at most every {}s", name, spool.directory(), spool.bytes(),
                        spoolLog.intervalSeconds());
            }
        } catch (IOException | RuntimeException x) {
            if (spoolLog.allow()) {
                log.warn("bus subscriber '{}': cannot spool to {} ({}); batches dropped and counted in"
                        + " caravan.bus.overflow; logged at most every {}s", name, spool.directory(), x.toString(),
                        spoolLog.intervalSeconds());
            }
        }
        stats.overflowed(n);
        return false;
    }

    private static FlowBatch copy(FlowBatch batch) {
        List<FlowRecord> in = batch.records();
        List<FlowRecord> out = new ArrayList<>(in.size());
        for (FlowRecord r : in) {
            out.add(r.copy());
        }
        return new FlowBatch(batch.origin(), out);
    }

    /**
     * The next batch, waiting for one: the queue's first, else the spool's (decoded outside the
     * lock); null once the queue is closed and everything accepted into memory (also what was being
     * copied in when it closed) has been taken. A closed subscription leaves its spool alone.
     */
    Entry take() throws InterruptedException {
        while (true) {
            Spool.Frame frame;
            lock.lock();
            try {
                frame = null;
                while (queue.isEmpty()) {
                    // Not while a batch reserved before the spool began is still being copied in: it is older.
                    if (spool != null && !closed && copying == 0 && spool.hasFiles()) {
                        frame = unspool();
                        if (frame != null) {
                            break;
                        }
                        continue; // a used-up segment was deleted, or a bad one set aside
                    }
                    if (closed && copying == 0) {
                        return null;
                    }
                    notEmpty.await();
                }
                if (frame == null) {
                    Entry e = queue.removeFirst();
                    records -= e.batch().size();
                    notFull.signalAll();
                    return e;
                }
            } finally {
                lock.unlock();
            }
            try {
                return new Entry(spool.decode(frame), System.nanoTime());
            } catch (IOException | RuntimeException x) {
                stats.overflowed(frame.records());
                log.error("bus subscriber '{}': a batch of {} records in the spool ({}) cannot be read ({});"
                        + " counted in caravan.bus.overflow", name, frame.records(), spool.directory(), x.toString());
            }
        }
    }

    /** Takes nothing more; the consumer drains what is queued and then sees null from {@link #take}. */
    void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the spool's oldest frame; null when there was none or its segment could not be read (set aside, counted). */
    private Spool.Frame unspool() {
        try {
            Spool.Frame f = spool.take();
            if (spool.isEmpty()) {
                spilling = false;
            }
            return f;
        } catch (IOException | RuntimeException x) {
            int lost = 0;
            try {
                lost = spool.setAsideFirst();
            } catch (IOException y) {
                x.addSuppressed(y);
            }
            stats.overflowed(lost);
            log.error("bus subscriber '{}': a spool file in {} cannot be read ({}); set aside as .bad, its {} records"
                    + " counted in caravan.bus.overflow", name, spool.directory(), x.toString(), lost);
            return null;
        }
    }

    /**
     * A batch the consumer took and could not deliver because it is stopping: back at the head of
     * the queue, for {@link #release} to keep. Without a spool it is dropped and counted there.
     */
    void putBack(FlowBatch batch) {
        lock.lock();
        try {
            if (released) {
                late(batch.size());
                return;
            }
            queue.addFirst(new Entry(batch, System.nanoTime()));
            records += batch.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * After the consumer stopped: what is still queued goes to the front of the spool, for the next
     * start, and the spool is closed; without a spool (or when it cannot be written) it is dropped.
     *
     * @return the records dropped
     */
    int release() {
        lock.lock();
        try {
            int left = 0;
            List<FlowBatch> batches = new ArrayList<>(queue.size());
            for (Entry e : queue) {
                left += e.batch().size();
                batches.add(e.batch());
            }
            queue.clear();
            records -= left;
            released = true;
            if (spool != null) {
                try {
                    spool.putBack(batches);
                    left = 0;
                } catch (IOException | RuntimeException x) {
                    log.error("bus subscriber '{}': cannot spool the {} records left queued to {} ({})", name, left,
                            spool.directory(), x.toString());
                }
                try {
                    spool.close();
                } catch (IOException x) {
                    log.warn("bus subscriber '{}': closing the spool in {}: {}", name, spool.directory(), x.toString());
                }
            }
            return left;
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    boolean spools() {
        return spool != null;
    }

    /** Where the spool is, null without one. */
    Path spoolDirectory() {
        return spool == null ? null : spool.directory();
    }

    /** Records on the spool now. */
    long spoolRecords() {
        lock.lock();
        try {
            return spool == null ? 0 : spool.records();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes on the spool now, about. */
    long spoolBytes() {
        lock.lock();
        try {
            return spool == null ? 0 : spool.bytes();
        } finally {
            lock.unlock();
        }
    }

    /** Records queued now. */
    int depth() {
        lock.lock();
        try {
            return records;
        } finally {
            lock.unlock();
        }
    }

    /** Seconds the oldest queued batch has waited, 0 when the queue is empty. */
    double oldestQueuedSeconds() {
        lock.lock();
        try {
            Entry e = queue.peekFirst();
            return e == null ? 0 : (System.nanoTime() - e.acceptedNanos()) / 1e9;
        } finally {
            lock.unlock();
        }
    }
}
