package io.caravan.udp;

import java.util.concurrent.TimeUnit;

/** The readers' and workers' threads: started as daemons, joined against one stop deadline. */
final class Threads {
    private Threads() {
    }

    /** A started daemon thread named {@code name} running {@code body}. */
    static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for {@code t} until {@code deadline} (System.nanoTime); true when it ended. */
    static boolean join(Thread t, long deadline) {
        try {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }
}
