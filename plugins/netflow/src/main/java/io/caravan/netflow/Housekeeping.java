package io.caravan.netflow;

import io.caravan.netflow.session.SamplingStore;
import io.caravan.netflow.session.TemplateStore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the stage does now and then rather than per datagram, run lazily from {@code apply} at most once a second
 * (the stage starts no thread): expires held data and sequence units, templates and sampling values, forgets idle
 * exporters, and saves the template file when due. One caller at a time; others skip it.
 */
final class Housekeeping {
    static final long INTERVAL_MS = 1000;

    private final Exporters exporters;
    private final TemplateStore templates;
    private final SamplingStore sampling;
    private final long templateTimeoutMs;
    private final SavedTemplates saved;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long nextMs;

    /** @param saved null without a template file */
    Housekeeping(Exporters exporters, TemplateStore templates, SamplingStore sampling, long templateTimeoutMs,
                 SavedTemplates saved) {
        this.exporters = exporters;
        this.templates = templates;
        this.sampling = sampling;
        this.templateTimeoutMs = templateTimeoutMs;
        this.saved = saved;
    }

    /** Runs when due and no other thread is running it. */
    void runIfDue(long nowMs) {
        if (nowMs < nextMs || !lock.tryLock()) {
            return;
        }
        try {
            if (nowMs < nextMs) {
                return;
            }
            nextMs = nowMs + INTERVAL_MS;
            exporters.expire(nowMs);
            int expired = templates.expire() + sampling.expire(templateTimeoutMs);
            exporters.forgetIdle(nowMs);
            if (saved != null) {
                if (expired > 0) {
                    saved.changed();
                }
                saved.saveIfDue(nowMs);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Saves the template file, waiting for a running housekeeping to finish. */
    void saveNow() {
        if (saved == null) {
            return;
        }
        lock.lock();
        try {
            saved.save();
        } finally {
            lock.unlock();
        }
    }
}
