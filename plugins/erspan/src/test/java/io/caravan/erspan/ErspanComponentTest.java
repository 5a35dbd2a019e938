package io.caravan.erspan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.erspan.socket.GreSocket;
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

    private void start(String from, String to) throws Exception {
        camel.addComponent("erspan", new ErspanComponentProvider().create(
                new RecordingStageContext("erspan", Clock.systemUTC(), dir)));
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
}
