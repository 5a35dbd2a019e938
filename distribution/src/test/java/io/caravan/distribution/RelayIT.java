package io.caravan.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.caravan.testkit.CaravanProcess;
import io.caravan.testkit.peers.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * routes/relay.yaml from the unzipped distribution: NetFlow v9 from three exporters reaches the
 * relay port and is replicated to nfcapd. nfdump must see every flow, under each exporter's own
 * address (the raw socket keeps sources; the tests run as root).
 */
class RelayIT {
    private static final int DATAGRAMS = 300;
    private static final int RECORDS = 5;

    @TempDir
    Path dir;

    @Test
    void everyDatagramReachesNfcapdFromItsOwnExporter() throws Exception {
        int nfcapdPort = CaravanProcess.freeUdpPort();
        int relayPort = CaravanProcess.freeUdpPort();
        Path store = Files.createDirectories(dir.resolve("nfcapd"));
        try (Peers.Daemon nfcapd = Peers.Daemon.start(dir, Peers.require("nfcapd", "nfdump"), "-w", store.toString(),
                "-b", "127.0.0.1", "-p", Integer.toString(nfcapdPort), "-t", "3600");
             CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir.resolve("caravan"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> Peers.udpReceiveQueue(nfcapdPort) >= 0);
            caravan.config("caravan.relay.port", Integer.toString(relayPort)).config("caravan.relay.bind", "127.0.0.1")
                    .config("caravan.relay.targets", "127.0.0.1:" + nfcapdPort);
            caravan.start();
            assertThat(caravan.log()).contains("relay:relay: sending every datagram to").contains("from each exporter's own address");

            CaravanProcess.Result sent = caravan.command("generate", "-p", "netflow-v9", "-t", "127.0.0.1:" + relayPort,
                    "-r", "2000", "-n", Integer.toString(DATAGRAMS), "-e", "3", "--records", Integer.toString(RECORDS));
            assertThat(sent.exitCode()).as(sent.output()).isZero();

            await().atMost(Duration.ofSeconds(30)).until(() -> metric(caravan, "caravan_relay_datagrams_total") == DATAGRAMS);
            await().atMost(Duration.ofSeconds(10)).until(() -> Peers.udpReceiveQueue(nfcapdPort) == 0);
            nfcapd.stop();
            assertThat(nfcapd.log()).contains("Bad Packets: 0");
            assertThat(metric(caravan, "caravan_relay_errors_total")).isZero();
        }
        Peers.Run dump = Peers.run(dir, 60, Peers.require("nfdump", "nfdump"), "-R", store.toString(), "-q", "-o", "fmt:%ra");
        assertThat(dump.exitCode()).as(dump.output()).isZero();
        Map<String, Integer> byExporter = new TreeMap<>();
        dump.output().lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(l -> byExporter.merge(l, 1, Integer::sum));
        assertThat(byExporter).containsOnlyKeys("127.0.0.1", "127.0.0.2", "127.0.0.3");
        assertThat(byExporter.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(DATAGRAMS * RECORDS);
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
