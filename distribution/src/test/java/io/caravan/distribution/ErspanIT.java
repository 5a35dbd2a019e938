package io.caravan.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testkit.CaravanProcess;
import io.caravan.testkit.peers.TsharkCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/erspan-from-sflow.yaml from the unzipped distribution, copied into routes/: sFlow from
 * {@code caravan generate} reaches it, and tshark, capturing on lo both the sFlow datagrams and the
 * GRE packets the route sends to 127.0.0.1, must find one ERSPAN type III packet per flow sample,
 * numbered 0, 1, 2, ... in order, with the configured session id, carrying exactly the raw header
 * bytes tshark itself decodes from the sFlow samples, in the same order (tests run as root, so the
 * route has CAP_NET_RAW).
 */
class ErspanIT {
    private static final int DATAGRAMS = 40;
    private static final int RECORDS = 5;
    private static final int SESSION = 700;

    @TempDir
    Path dir;

    @Test
    void theExampleRouteMirrorsEverySampledHeaderAsErspan() throws Exception {
        int sflowPort = CaravanProcess.freeUdpPort();
        int samples = DATAGRAMS * RECORDS;
        try (CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir.resolve("caravan"));
             TsharkCapture capture = TsharkCapture.start(dir, "ip proto 47 or (udp and dst port " + sflowPort + ")",
                     DATAGRAMS + samples)) {
            Path example = caravan.home().resolve("examples/erspan-from-sflow.yaml");
            assertThat(example).as("the example route in the distribution").isRegularFile();
            Files.copy(example, caravan.routes().resolve("erspan-from-sflow.yaml"), StandardCopyOption.REPLACE_EXISTING);
            caravan.config("caravan.erspan.target", "127.0.0.1").config("caravan.erspan.version", "3")
                    .config("caravan.erspan.session.id", Integer.toString(SESSION))
                    .config("caravan.erspan.sflow.bind", "127.0.0.1")
                    .config("caravan.erspan.sflow.port", Integer.toString(sflowPort));
            caravan.start();
            assertThat(caravan.log()).contains("erspan:mirror: mirroring frames to 127.0.0.1 as ERSPAN type III session "
                    + SESSION);

            CaravanProcess.Result sent = caravan.command("generate", "-p", "sflow", "-t", "127.0.0.1:" + sflowPort,
                    "-r", "500", "-n", Integer.toString(DATAGRAMS), "-e", "1", "--records", Integer.toString(RECORDS));
            assertThat(sent.exitCode()).as(sent.output()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> metric(caravan, "caravan_erspan_packets_total") == samples);

            List<JsonNode> packets = capture.packets(Duration.ofSeconds(30), () -> metrics(caravan), "-d",
                    "udp.port==" + sflowPort + ",sflow");
            List<String> sampled = new ArrayList<>();
            List<Boolean> cut = new ArrayList<>();
            List<JsonNode> mirrored = new ArrayList<>();
            for (JsonNode p : packets) {
                if (p.has("erspan")) {
                    mirrored.add(p);
                } else {
                    headers(p.path("sflow"), sampled, cut);
                }
            }
            assertThat(sampled).as("flow samples tshark decoded").hasSize(samples);
            assertThat(mirrored).as("ERSPAN packets tshark decoded").hasSize(samples);
            long nowUnits = System.currentTimeMillis() * 10 & 0xFFFFFFFFL; // 100 µs units
            for (int i = 0; i < samples; i++) {
                JsonNode p = mirrored.get(i);
                JsonNode e = p.path("erspan");
                assertThat(p.path("gre").path("gre.proto").asText()).isEqualTo("0x22eb");
                assertThat(p.path("gre").path("gre.sequence_number").asText()).isEqualTo(Integer.toString(i));
                assertThat(e.path("erspan.version").asText()).isEqualTo("2");
                assertThat(e.path("erspan.spanid").asText()).isEqualTo(Integer.toString(SESSION));
                assertThat(e.path("erspan.gra").asText()).isEqualTo("0");
                assertThat(e.path("erspan.truncated").asText()).isEqualTo(cut.get(i) ? "1" : "0");
                long age = nowUnits - e.path("erspan.timestamp").asLong() & 0xFFFFFFFFL;
                assertThat(age).as("timestamp age in 100 µs units").isLessThan(600_000);  // within a minute
                assertThat(inner(p)).as("mirrored frame %d", i).isEqualTo(sampled.get(i));
            }
            assertThat(metric(caravan, "caravan_erspan_skipped_total")).isZero();
            assertThat(metric(caravan, "caravan_erspan_dropped_total")).isZero();
            assertThat(metric(caravan, "caravan_erspan_errors_total")).isZero();
        }
    }

    /** Without caravan.erspan.target the example stays cleanly off; with it, it validates offline. */
    @Test
    void theExampleRouteStaysOffWithoutATargetAndValidatesWithOne() throws Exception {
        try (CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir.resolve("caravan"))) {
            Path route = caravan.routes().resolve("erspan-from-sflow.yaml");
            Files.copy(caravan.home().resolve("examples/erspan-from-sflow.yaml"), route);

            CaravanProcess.Result off = caravan.command("validate", route.toString());
            assertThat(off.exitCode()).as(off.output()).isZero();
            assertThat(off.output()).contains("off, precondition false: erspan-from-sflow");

            caravan.start();
            assertThat(caravan.log()).contains("route 'erspan-from-sflow' is off").doesNotContain("erspan:mirror: cannot");

            caravan.config("caravan.erspan.target", "127.0.0.1");
            CaravanProcess.Result on = caravan.command("validate", route.toString());
            assertThat(on.exitCode()).as(on.output()).isZero();
            assertThat(on.output()).contains("OK (1 route: erspan-from-sflow)");
        }
    }

    /** Every raw packet header record under an sFlow datagram, in order, with whether it was cut. */
    private static void headers(JsonNode node, List<String> out, List<Boolean> cut) {
        if (node.isObject()) {
            JsonNode raw = node.get("sflow_245.header_raw");
            if (raw != null) {
                long frame = node.path("sflow_245.header.frame_length").asLong();
                long stripped = node.path("sflow_245.header.payload_stripped").asLong();
                long length = node.path("sflow_245.header.sampled_header_length").asLong();
                out.add(raw.get(0).asText().substring(0, (int) (2 * length)));
                cut.add(frame - stripped > length);
                return;
            }
            node.forEach(n -> headers(n, out, cut));
        } else if (node.isArray()) {
            node.forEach(n -> headers(n, out, cut));
        }
    }

    /** The bytes after the ERSPAN header: from the second Ethernet header to the packet's end. */
    private static String inner(JsonNode p) {
        JsonNode eth = p.path("eth_raw");
        assertThat(eth.isArray() && eth.size() == 2 && eth.get(0).isArray()).as("an Ethernet frame inside").isTrue();
        return p.path("frame_raw").get(0).asText().substring(2 * eth.get(1).get(1).asInt());
    }

    private static String metrics(CaravanProcess caravan) {
        try {
            return caravan.get("/metrics").body().lines().filter(l -> l.startsWith("caravan_erspan")).toList().toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static double metric(CaravanProcess caravan, String name) throws Exception {
        double total = 0;
        for (String line : caravan.get("/metrics").body().lines().toList()) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
