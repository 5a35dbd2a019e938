package io.caravan.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretMaskTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            log:x?password=hunter2&level=OFF                       | log:x?password=xxxxxx&level=OFF
            Unknown parameters=[{password=hunter2}]                | Unknown parameters=[{password=xxxxxx}]
            Unknown parameters=[{passWord=hunter2, foo=bar}]       | Unknown parameters=[{passWord=xxxxxx, foo=bar}]
            aws2-s3://b?accessKey=AKIA1&secretKey=abc/def+g        | aws2-s3://b?accessKey=xxxxxx&secretKey=xxxxxx
            kafka:t?saslJaasConfig=RAW(a&b)&brokers=k:9092         | kafka:t?saslJaasConfig=xxxxxx&brokers=k:9092
            x?sasl.jaas.config=RAW{m}&apiKey=k1&API_TOKEN=t        | x?sasl.jaas.config=xxxxxx&apiKey=xxxxxx&API_TOKEN=xxxxxx
            "password": "hunter2", "user": "bob"                   | "password": "xxxxxx", "user": "xxxxxx"
            credentials: 's3cr3t'                                  | credentials: 'xxxxxx'
            caravan.admin.token=abc                                | caravan.admin.token=xxxxxx
            x?privateKeyPassphrase=p&client-secret=s               | x?privateKeyPassphrase=xxxxxx&client-secret=xxxxxx
            already password=xxxxxx                                | already password=xxxxxx
            """)
    void masksTheValuesOfSecretLookingKeys(String text, String masked) {
        assertThat(SecretMask.mask(text)).isEqualTo(masked);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            http://host:8080/path?level=INFO
            12:30:01.123 ERROR [main] route1 - failed: java.lang.IllegalStateException: boom
            stage:classify?internal=10.0.0.0/8&drop=other
            passwordless=true is not a secret key? it is, by its name
            """)
    void leavesOtherTextAlone(String text) {
        if (text.startsWith("passwordless")) {
            assertThat(SecretMask.mask(text)).startsWith("passwordless=xxxxxx");
            return;
        }
        assertThat(SecretMask.mask(text)).isEqualTo(text);
    }

    @Test
    void nullAndEmptyStayAsTheyAre() {
        assertThat(SecretMask.mask(null)).isNull();
        assertThat(SecretMask.mask("")).isEmpty();
    }

    @Test
    void theLogLayoutMasksMessageAndStackTrace() {
        LoggerContext context = new LoggerContext();
        MaskingPatternLayout layout = new MaskingPatternLayout();
        layout.setContext(context);
        layout.setPattern("%msg%n%ex");
        layout.start();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("x"), Level.ERROR,
                "Failed to resolve endpoint log://x?password=hunter2", new IllegalArgumentException(
                        "Unknown parameters=[{password=hunter2}]"), null);

        String line = layout.doLayout(event);

        assertThat(line).doesNotContain("hunter2").contains("log://x?password=xxxxxx", "[{password=xxxxxx}]",
                "IllegalArgumentException");
    }
}
