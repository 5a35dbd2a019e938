package io.caravan.erspan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.erspan.socket.GreSender;
import io.caravan.erspan.socket.GreSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.peers.Peers;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Options, start-time failures and the send-only contract, in a real CamelContext. */
class ErspanComponentTest {
    @TempDir
    Path dir;

    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() {
        camel.stop();
    }

    private RecordingStageContext context;

    private void start(String from, String to) throws Exception {
        start(from, to, new ErspanComponentProvider().create(context()));
    }

    private RecordingStageContext context() {
        context = new RecordingStageContext("erspan", Clock.systemUTC(), dir);
        return context;
    }

    private void start(String from, String to, org.apache.camel.Component component) throws Exception {
        camel.addComponent("erspan", component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(from).to(to);
            }
        });
        camel.start();
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (; t != null; t = t.getCause()) {
            b.append(t.getMessage()).append('\n');
        }
        return b.toString();
    }

    @ParameterizedTest
    @CsvSource({"version=4,'version',2 to 3", "sessionId=1024,'sessionId',0 to 1023", "vlan=4096,'vlan',0 to 4095",
            "timestamp=1ms,'timestamp',ieee1588", "indexFrom=if,'indexFrom',in-if", "truncate=-1,'truncate',0 to 65000"})
    void badOptionsFailTheRouteNamingTheOptionAndItsBounds(String option, String name, String allowed) {
        assertThatThrownBy(() -> start("direct:in", "erspan:m?target=127.0.0.1&" + option))
                .satisfies(e -> assertThat(messages(e)).contains(name).contains(allowed));
    }

    @Test
    void targetIsRequired() {
        assertThatThrownBy(() -> start("direct:in", "erspan:m?version=3"))
                .satisfies(e -> assertThat(messages(e)).contains("'target'"));
    }

    @Test
    void aTargetWithoutIpv4FailsAtStart() {
        assertThatThrownBy(() -> start("direct:in", "erspan:m?target=::1"))
                .satisfies(e -> assertThat(messages(e)).contains("erspan:m: target '::1' has no IPv4 address"));
    }

    @Test
    void anUnresolvableTargetFailsAtStart() {
        assertThatThrownBy(() -> start("direct:in", "erspan:m?target=no-such-host.invalid"))
                .satisfies(e -> assertThat(messages(e)).contains("cannot resolve target 'no-such-host.invalid'"));
    }

    @Test
    void itIsSendOnly() {
        assertThatThrownBy(() -> start("erspan:m?target=127.0.0.1", "direct:out"))
                .satisfies(e -> assertThat(messages(e)).contains("erspan: is send-only"));
    }

    /**
     * The route's start, not its first packet, fails without CAP_NET_RAW, saying how to grant it:
     * a child JVM run by setpriv with CAP_NET_RAW out of its bounding set (so even root lacks it).
     */
    @Test
    void withoutCapNetRawTheRouteStartFailsSayingHowToGrantIt() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Peers.Run run = Peers.run(dir, 120, Peers.require("setpriv", "util-linux"), "--bounding-set=-net_raw",
                "--inh-caps=-net_raw", java, "-cp", System.getProperty("java.class.path"),
                StartWithoutCapNetRaw.class.getName());

        assertThat(run.output()).contains("START FAILED: ")
                .contains("erspan:mirror: cannot mirror to 127.0.0.1: the process lacks CAP_NET_RAW")
                .contains(GreSocket.GRANT_CAP_NET_RAW).doesNotContain("STARTED");
    }

    private long counter(String name, String... tags) {
        Map<String, String> t = new LinkedHashMap<>();
        for (int i = 0; i < tags.length; i += 2) {
            t.put(tags[i], tags[i + 1]);
        }
        return context.counter(name, t).orElseThrow();
    }

    private static FlowRecord withFrame(int length) {
        byte[] frame = new byte[length];
        frame[12] = 0x08;
        return new FlowRecord().attribute("frame", frame);
    }

    /** A packet the kernel refuses (larger than an IPv4 packet can be) is counted; the exchange and the next record go on. */
    @Test
    void aFailedSendIsCountedAndTheRestGoesOn() throws Exception {
        start("direct:in", "erspan:m?target=127.0.0.1");

        camel.createProducerTemplate().sendBody("direct:in", FlowBatch.of(Origin.UNKNOWN, withFrame(65_500),
                withFrame(60), new FlowRecord()));

        assertThat(counter("caravan.erspan.errors", "erspan", "m")).isEqualTo(1);
        assertThat(counter("caravan.erspan.packets", "erspan", "m")).isEqualTo(1);
        assertThat(counter("caravan.erspan.bytes", "erspan", "m")).isEqualTo(16 + 60);
        assertThat(counter("caravan.erspan.skipped", "erspan", "m", "reason", "no-frame")).isEqualTo(1);
    }

    /**
     * A socket whose buffer is full (which loopback never is, so a sender that says so): the
     * packet is dropped at once and counted, and its sequence number stays used, so the analyzer
     * sees the gap.
     */
    @Test
    void aBusySocketDropsAndCountsWithoutWaiting() throws Exception {
        List<Long> sent = new ArrayList<>();
        GreSender busyEveryOther = new GreSender() {
            private int calls;

            @Override
            public GreSocket.Result send(byte[] packet) {
                if (calls++ % 2 == 0) {
                    return GreSocket.Result.BUSY;
                }
                sent.add(ByteBuffer.wrap(packet, 4, 4).getInt() & 0xFFFFFFFFL);
                return GreSocket.Result.SENT;
            }

            @Override
            public void close() {
            }
        };
        start("direct:in", "erspan:m?target=127.0.0.1", new ErspanComponent(context(), target -> busyEveryOther));

        camel.createProducerTemplate().sendBody("direct:in", FlowBatch.of(Origin.UNKNOWN, withFrame(60), withFrame(60),
                withFrame(60), withFrame(60)));

        assertThat(sent).containsExactly(1L, 3L);
        assertThat(counter("caravan.erspan.dropped", "erspan", "m", "reason", "busy")).isEqualTo(2);
        assertThat(counter("caravan.erspan.packets", "erspan", "m")).isEqualTo(2);
        assertThat(counter("caravan.erspan.errors", "erspan", "m")).isZero();
    }
}
