package io.caravan.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.caravan.api.flow.DatagramBatch;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link UdpComponentTest} again with {@code transport=epoll} (Netty's native epoll,
 * recvmmsg), and what only that transport does. This machine is Linux x86-64, so the native
 * transport must load here: a test fails rather than quietly falling back to NIO.
 */
class EpollUdpComponentTest extends UdpComponentTest {

    @Override
    String transport() {
        return UdpConfiguration.EPOLL;
    }

    @Test
    void theNativeTransportLoadsAndTheStartLogSaysItRuns() throws Exception {
        assertThat(EpollReceiver.unavailable()).as("why epoll is unavailable").isNull();
        start("batchSize=64", exchange -> { });

        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains("receiving on", "transport epoll, up to 32 datagram(s) per recvmmsg"))
                .noneSatisfy(m -> assertThat(m).contains("not available"));
    }

    /**
     * Replaces the NIO test of the same name (which looks for the NIO reader's park): under paced
     * load, a reader that waits after emptying its socket takes several datagrams per batch, where
     * one woken per datagram would take one.
     */
    @Override
    @Test
    void underLoadAReaderThatEmptiedItsSocketWaitsInsteadOfBlocking() throws Exception {
        AtomicInteger received = new AtomicInteger();
        AtomicLong batches = new AtomicLong();
        UdpEndpoint endpoint = start("batchSize=64&coalesceMicros=2000", exchange -> {
            batches.incrementAndGet();
            received.addAndGet(exchange.getIn().getBody(DatagramBatch.class).size());
        });
        int n = 2000;
        try (DatagramChannel client = client("127.0.0.1")) {
            long next = System.nanoTime();
            for (int i = 0; i < n; i++) {
                // Pacing, not synchronizing: one datagram each 20 µs, much closer than the wait.
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                next += 20_000;
                send(client, endpoint, "load " + i);
            }
        }
        await().atMost(WAIT).until(() -> received.get() == endpoint.getDatagrams() && received.get() > 0);
        assertThat(received.get()).isPositive();
        assertThat((double) received.get() / batches.get()).as("datagrams per batch").isGreaterThan(2.0);
        assertThat(endpoint.getQueueDrops()).isZero();
        assertThat(endpoint.getProcessErrors()).isZero();
    }
}
