package io.caravan.netflow;

import io.caravan.netflow.session.SamplingStore;
import io.caravan.netflow.session.TemplateFile;
import io.caravan.netflow.session.TemplateStore;
import java.io.IOException;
import org.slf4j.Logger;

/**
 * The stage's {@code templateFile}: loaded once at creation, saved every {@code templateSaveInterval} while
 * templates or sampling changed, and at close. Not thread-safe: housekeeping and close call it under one lock.
 */
final class SavedTemplates {
    private final TemplateFile file;
    private final TemplateStore templates;
    private final SamplingStore sampling;
    private final long intervalMs;
    private final String stageName;
    private final Logger log;
    private volatile boolean dirty;
    private long nextSaveMs;
    private volatile int lastSaved = -1;

    SavedTemplates(TemplateFile file, TemplateStore templates, SamplingStore sampling, long intervalMs,
                   String stageName, Logger log) {
        this.file = file;
        this.templates = templates;
        this.sampling = sampling;
        this.intervalMs = intervalMs;
        this.stageName = stageName;
        this.log = log;
    }

    /** Loads the file into the stores (a bad one is set aside by {@link TemplateFile#load}). */
    void load(long nowMs) {
        int n = file.load(templates, sampling);
        log.info("stage '{}': loaded {} templates from {} ({} kept within the budget)", stageName, n, file.path(),
                templates.size());
        nextSaveMs = nowMs + intervalMs;
    }

    /** Marks the stores as changed since the last save. */
    void changed() {
        dirty = true;
    }

    /** Saves when the interval has passed and something changed. */
    void saveIfDue(long nowMs) {
        if (intervalMs > 0 && nowMs >= nextSaveMs) {
            nextSaveMs = nowMs + intervalMs;
            if (dirty) {
                save();
            }
        }
    }

    void save() {
        try {
            dirty = false;
            lastSaved = file.save(templates, sampling);
            if (lastSaved < templates.size()) {
                log.warn("stage '{}': {} of {} templates saved to {}: the rest would pass maxTemplateFileSize ({} "
                        + "bytes)", stageName, lastSaved, templates.size(), file.path(), file.maxBytes());
            }
        } catch (IOException | RuntimeException e) {
            dirty = true;
            log.warn("stage '{}': cannot save templates to {}: {}", stageName, file.path(), e.toString());
        }
    }

    TemplateFile file() {
        return file;
    }

    /** Templates written by the last save, or -1 before the first. */
    int lastSaved() {
        return lastSaved;
    }
}
