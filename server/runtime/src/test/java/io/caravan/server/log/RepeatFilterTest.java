package io.caravan.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.processor.errorhandler.DefaultErrorHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RepeatFilterTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final AtomicLong now = new AtomicLong();
    private final RepeatFilter filter = new RepeatFilter(INTERVAL, now::get);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void install() {
        filter.setContext(context);
        context.addTurboFilter(filter);
        events.setContext(context);
        events.start();
    }

    @AfterEach
    void remove() {
        context.getTurboFilterList().remove(filter);
        for (String name : List.of("test.repeat", DefaultErrorHandler.class.getName())) {
            context.getLogger(name).detachAppender(events);
            context.getLogger(name).setLevel(null);
        }
    }

    private Logger logger(String name) {
        Logger l = context.getLogger(name);
        l.setLevel(Level.INFO);
        l.addAppender(events);
        return l;
    }

    private List<String> messages() {
        return events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aRepeatedErrorIsLoggedInFullOnceThenCountedOncePerInterval() throws Exception {
        Logger log = logger("test.repeat");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            pool.execute(() -> {
                for (int i = 0; i < 2500; i++) {
                    log.error("exchange {} failed", thread * 10_000 + i, new IllegalStateException("record " + i + " is bad"));
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(events.list).hasSize(1);
        assertThat(events.list.get(0).getThrowableProxy()).as("the first carries its stack trace").isNotNull();

        now.addAndGet(INTERVAL.toNanos());
        filter.flush();
        assertThat(events.list).hasSize(2);
        assertThat(messages().get(1)).startsWith("9999 more like this in the last 10 s")
                .contains("failed (java.lang.IllegalStateException: record");
        assertThat(events.list.get(1).getThrowableProxy()).isNull();

        filter.flush();
        assertThat(events.list).as("nothing suppressed, no summary").hasSize(2);
    }

    @Test
    void theSameMessagePatternWithDifferentWordsIsADifferentKind() {
        Logger log = logger("test.repeat");

        log.error("Reload {} {}: failed", "routes", "a.yaml");
        log.error("Reload {} {}: failed", "routes", "b.yaml");
        log.error("Reload {} {}: failed", "routes", "a.yaml");

        assertThat(messages()).containsExactly("Reload routes a.yaml: failed", "Reload routes b.yaml: failed");
    }

    @Test
    void differentErrorsAreEachLoggedAndAKindQuietForLongIsForgotten() {
        Logger log = logger("test.repeat");

        log.warn("one", new IllegalStateException("a"));
        log.warn("two", new IllegalArgumentException("a"));
        log.warn("no exception: {}", 1);
        log.warn("no exception: {}", 2);
        log.info("below WARN is never held back");
        log.info("below WARN is never held back");
        assertThat(messages()).containsExactly("one", "two", "no exception: 1", "below WARN is never held back",
                "below WARN is never held back");

        now.addAndGet(INTERVAL.toNanos());
        filter.flush();
        assertThat(messages()).last().asString().startsWith("1 more like this");
        now.addAndGet(INTERVAL.toNanos() * (RepeatFilter.FORGET_AFTER_INTERVALS + 1));
        filter.flush();
        events.list.clear();

        log.warn("one", new IllegalStateException("a"));
        assertThat(messages()).as("after a long quiet, logged in full again").containsExactly("one");
    }

    @Test
    void aRouteFailingOnEveryExchangeLogsABoundedNumberOfLines() throws Exception {
        logger(DefaultErrorHandler.class.getName());
        int exchanges = 5000;
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:fail").routeId("fail").throwException(new IllegalStateException("boom"));
                }
            });
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();
            int failed = 0;
            for (int i = 0; i < exchanges; i++) {
                try {
                    producer.sendBody("direct:fail", "x" + i);
                } catch (CamelExecutionException e) {
                    failed++;
                }
            }
            assertThat(failed).isEqualTo(exchanges);
        }
        now.addAndGet(INTERVAL.toNanos());
        filter.flush();

        assertThat(events.list).as("lines for %d failed exchanges", exchanges).hasSize(2);
        assertThat(messages().get(0)).contains("Failed delivery", "boom");
        assertThat(messages().get(1)).startsWith((exchanges - 1) + " more like this").contains("boom");
    }
}
