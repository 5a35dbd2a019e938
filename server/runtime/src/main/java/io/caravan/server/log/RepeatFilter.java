package io.caravan.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.slf4j.helpers.MessageFormatter;

/**
 * Keeps a repeated warning or error from flooding the log: a route that fails on every exchange
 * makes Camel's error handler (and often its consumer) log a stack trace per exchange. The first
 * event of a kind is logged in full; further ones are counted, and once per interval one summary
 * line says how many were suppressed. A kind is logger, level, the message's first line and the
 * exception's class and message, with numbers and hex ids ignored (exchange ids, counts, elapsed
 * times differ between otherwise equal events). A kind quiet for a few
 * intervals is forgotten, so its next occurrence is logged in full again.
 *
 * <p>Installed as a logback turbo filter on the whole logger context, so it covers Camel's error
 * handler, consumers' exception handlers, the runtime and plugins alike, whatever the operator's
 * logback.xml says.
 */
public final class RepeatFilter extends TurboFilter {
    /** Marks the summary lines, which the filter itself lets through. */
    public static final Marker SUMMARY = MarkerFactory.getMarker("CARAVAN_REPEATED");
    /** Kinds tracked at most; beyond, new kinds of a logger share one entry. */
    static final int MAX_KINDS = 1000;
    /** Intervals a kind may stay quiet before it is forgotten. */
    static final int FORGET_AFTER_INTERVALS = 6;
    private static final Pattern VARIABLE = Pattern.compile("\\b(?=[0-9A-Fa-f]*\\d)[0-9A-Fa-f]{6,}(?:-[0-9A-Fa-f]+)*\\b|\\d+");

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();
    private ScheduledExecutorService ticker;

    private static final class Kind {
        final String logger;
        final Level level;
        final String label;
        final AtomicLong suppressed = new AtomicLong();
        volatile long lastSeen;

        Kind(String logger, Level level, String label, long now) {
            this.logger = logger;
            this.level = level;
            this.label = label;
            this.lastSeen = now;
        }
    }

    RepeatFilter(Duration interval, LongSupplier nanoClock) {
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        setName("caravan-repeat-filter");
    }

    /**
     * Installs the filter on the logback context (replacing an earlier one) and starts its
     * once-per-interval summaries; a zero interval removes it. Does nothing when SLF4J is not bound
     * to logback.
     */
    public static synchronized void install(Duration interval) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        for (TurboFilter f : context.getTurboFilterList()) {
            if (f instanceof RepeatFilter old) {
                old.stop();
                context.getTurboFilterList().remove(old);
            }
        }
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        RepeatFilter filter = new RepeatFilter(interval, System::nanoTime);
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
    }

    @Override
    public void start() {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "caravan-log-repeat");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(intervalNanos));
        ticker.scheduleAtFixedRate(this::flush, ms, ms, TimeUnit.MILLISECONDS);
        super.start();
    }

    @Override
    public void stop() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        flush();
        super.stop();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // format and throwable both null: an isEnabled() check, not an event.
        if (level == null || format == null && t == null || !level.isGreaterOrEqual(Level.WARN) || marker == SUMMARY
                || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        Throwable error = t != null ? t
                : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last : null;
        String message = firstLine(format == null ? "" : MessageFormatter.arrayFormat(format, params).getMessage());
        String signature = error == null ? message : message + " (" + firstLine(describe(error)) + ")";
        String key = logger.getName() + '|' + level + '|' + VARIABLE.matcher(signature).replaceAll("#");
        if (kinds.size() >= MAX_KINDS && !kinds.containsKey(key)) {
            key = logger.getName() + '|' + level + "|(other)";
            signature = "(other messages of this logger: more than " + MAX_KINDS + " kinds)";
        }
        long now = nanoClock.getAsLong();
        String label = signature;
        boolean[] created = new boolean[1];
        Kind kind = kinds.computeIfAbsent(key, k -> {
            created[0] = true;
            return new Kind(logger.getName(), level, label, now);
        });
        kind.lastSeen = now;
        if (created[0]) {
            return FilterReply.NEUTRAL;
        }
        kind.suppressed.incrementAndGet();
        return FilterReply.DENY;
    }

    private static String describe(Throwable t) {
        return t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /** Logs one summary per kind with suppressed events, and forgets kinds that have gone quiet. */
    void flush() {
        long now = nanoClock.getAsLong();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(intervalNanos);
        for (Iterator<Kind> it = kinds.values().iterator(); it.hasNext(); ) {
            Kind k = it.next();
            long n = k.suppressed.getAndSet(0);
            if (n > 0) {
                org.slf4j.Logger log = LoggerFactory.getLogger(k.logger);
                String text = "{} more like this in the last {} s, not logged (the first was logged in full): {}";
                if (k.level == Level.ERROR) {
                    log.error(SUMMARY, text, n, seconds, k.label);
                } else {
                    log.warn(SUMMARY, text, n, seconds, k.label);
                }
            } else if (now - k.lastSeen > FORGET_AFTER_INTERVALS * intervalNanos) {
                it.remove();
            }
        }
    }
}
