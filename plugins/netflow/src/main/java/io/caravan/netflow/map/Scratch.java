package io.caravan.netflow.map;

/**
 * Per-record working state of {@link RecordDecoder}: values that only mean something together (times by
 * precedence, sampling parameters). Reset per record; never shared between threads.
 */
final class Scratch {
    static final int NONE = Integer.MAX_VALUE;
    /** Time sources by precedence (flow-protocols §6): lower wins. */
    static final int MILLIS = 1;
    static final int NTP = 2;
    static final int SECONDS = 3;
    static final int DELTA = 4;
    static final int UPTIME = 5;

    long startNs;
    long endNs;
    int startPrio;
    int endPrio;
    long startUptime;
    long endUptime;
    boolean hasStartUptime;
    boolean hasEndUptime;
    long sysInitMs;
    long durationNs;
    long samplerId;
    long interval34;
    long random50;
    long packetInterval;
    long packetSpace;
    boolean hasPacketInterval;
    boolean hasPacketSpace;
    long samplingSize;
    long samplingPopulation;
    double probability;
    /** Last sampler id looked up in this set, and its rate. */
    long cachedSamplerId = Long.MIN_VALUE;
    long cachedRate;

    void reset() {
        startPrio = NONE;
        endPrio = NONE;
        startNs = 0;
        endNs = 0;
        hasStartUptime = false;
        hasEndUptime = false;
        sysInitMs = 0;
        durationNs = 0;
        samplerId = -1;
        interval34 = 0;
        random50 = 0;
        packetInterval = 0;
        packetSpace = 0;
        hasPacketInterval = false;
        hasPacketSpace = false;
        samplingSize = 0;
        samplingPopulation = 0;
        probability = 0;
    }

    /** Forgets the cached sampler rate (a new set: another exporter or domain, other rates). */
    void forgetSampler() {
        cachedSamplerId = Long.MIN_VALUE;
        cachedRate = 0;
    }

    void start(long ns, int prio) {
        if (ns != 0 && prio < startPrio) {
            startNs = ns;
            startPrio = prio;
        }
    }

    void end(long ns, int prio) {
        if (ns != 0 && prio < endPrio) {
            endNs = ns;
            endPrio = prio;
        }
    }

    /**
     * The rate this record states itself, 0 if none. Order: PSAMP count-based (305+306)/305 (305 alone: 305, as
     * goflow2 reads it), n-out-of-N 310/309, probabilistic 1/311, then 50, then 34.
     */
    long explicitRate() {
        if (hasPacketInterval && packetInterval > 0) {
            return hasPacketSpace ? (packetInterval + packetSpace) / packetInterval : packetInterval;
        }
        if (samplingSize > 0 && samplingPopulation > 0) {
            return samplingPopulation / samplingSize;
        }
        if (probability > 0 && probability <= 1) {
            return Math.round(1 / probability);
        }
        if (random50 > 0) {
            return random50;
        }
        return interval34;
    }
}
