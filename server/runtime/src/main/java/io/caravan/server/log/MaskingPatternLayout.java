package io.caravan.server.log;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's pattern layout with {@link SecretMask} applied to the whole formatted event, message
 * and stack trace alike, so no log line shows a secret-looking URI option in clear, whoever wrote
 * it (Camel's "Unknown parameters=[{password=...}]" included). Used by the shipped logback.xml.
 */
public final class MaskingPatternLayout extends PatternLayout {
    @Override
    public String doLayout(ILoggingEvent event) {
        return SecretMask.mask(super.doLayout(event));
    }
}
