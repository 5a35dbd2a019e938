package io.caravan.pipeline.bus;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One subscriber's bounded queue, counted in records. A producer offers a batch; it is copied
 * (the producer's route goes on with the original) only once it has room, so a full queue costs
 * the producer a lock and a count, never memory. Closed, it takes nothing more and its consumer
 * drains what is left, including batches being copied in at that moment.
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
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    /** Records queued or being copied in (reserved), guarded by lock. */
    private int records;
    /** Batches reserved and being copied in, guarded by lock. */
    private int copying;
    private boolean closed;

    Subscription(BusConfiguration configuration, SubscriberStats stats) {
        this.name = configuration.subscriber();
        this.capacity = configuration.capacity();
        this.overflow = configuration.overflow();
        this.offerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(configuration.offerTimeoutMs());
        this.stats = stats;
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
        lock.lock();
        try {
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
            // Counted before the consumer can see it, so records_out never runs ahead of records_in.
            stats.accepted(n);
            queue.addLast(e);
            copying--;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        return true;
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

    private static FlowBatch copy(FlowBatch batch) {
        List<FlowRecord> in = batch.records();
        List<FlowRecord> out = new ArrayList<>(in.size());
        for (FlowRecord r : in) {
            out.add(r.copy());
        }
        return new FlowBatch(batch.origin(), out);
    }

    /**
     * The next batch, waiting for one; null once the queue is closed and everything accepted
     * (also what was being copied in when it closed) has been taken.
     */
    Entry take() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closed && copying == 0) {
                    return null;
                }
                notEmpty.await();
            }
            Entry e = queue.removeFirst();
            records -= e.batch().size();
            notFull.signalAll();
            return e;
        } finally {
            lock.unlock();
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

    /** Empties the queue after a forced stop, returning how many records were left in it. */
    int discard() {
        lock.lock();
        try {
            int left = 0;
            for (Entry e : queue) {
                left += e.batch().size();
            }
            queue.clear();
            records -= left;
            return left;
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
