package io.caravan.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * The offline commands ({@code validate}, {@code plugins}, {@code generate}) print their result
 * and nothing else: loading plugins and starting Camel log at INFO, which the server wants and
 * an operator's CI grepping for the verdict does not. Warnings and errors still show.
 */
final class QuietLogging {
    private QuietLogging() {
    }

    /** From now on, log events below WARN are dropped whatever logback.xml says. */
    static void belowWarnOff() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            TurboFilter filter = new TurboFilter() {
                @Override
                public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
                                          Object[] params, Throwable t) {
                    return level != null && level.isGreaterOrEqual(Level.WARN) ? FilterReply.NEUTRAL : FilterReply.DENY;
                }
            };
            filter.setName("caravan-offline-command");
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
    }
}
