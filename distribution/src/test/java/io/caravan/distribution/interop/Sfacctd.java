package io.caravan.distribution.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.caravan.testkit.CaravanProcess;
import io.caravan.testkit.peers.DatagramRecorder;
import io.caravan.testkit.peers.FlowKey;
import io.caravan.testkit.peers.Peers;
import io.caravan.traffic.datagram.SflowBuilder;
import io.caravan.traffic.packet.PacketBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * sfacctd (pmacct's sFlow collector) with its print plugin writing CSV per 5-tuple, on a free
 * loopback port, fenced by probe datagrams so that what it printed is complete (see
 * {@link #probeUntilPrinted}).
 */
final class Sfacctd implements AutoCloseable {
    /** The agent of the probes: not one the tests record. */
    static final String PROBE_AGENT = "192.0.2.201";
    static final String FIRST_PROBE = "198.51.100.1";
    static final String LAST_PROBE = "198.51.100.2";
    private static final String PROBE_DST = "198.51.100.254";
    private static final byte[] PROBE_AGENT_BYTES = {(byte) 192, 0, 2, (byte) 201};
    private static final Map<String, Integer> PROTOCOLS = Map.of("tcp", 6, "udp", 17, "icmp", 1);

    private final Peers.Daemon daemon;
    private final Path csv;
    private final InetSocketAddress address;
    private final AtomicLong probes = new AtomicLong();

    private Sfacctd(Peers.Daemon daemon, Path csv, InetSocketAddress address) {
        this.daemon = daemon;
        this.csv = csv;
        this.address = address;
    }

    /** Starts sfacctd ({@code binary}) with its files named {@code name}* in {@code dir}. */
    static Sfacctd start(String binary, Path dir, String name) throws IOException {
        int port = CaravanProcess.freeUdpPort();
        Path csv = dir.resolve(name + ".csv");
        Path conf = Files.writeString(dir.resolve(name + ".conf"), String.join("\n",
                "daemonize: false", "sfacctd_ip: 127.0.0.1", "sfacctd_port: " + port, "plugins: print",
                "aggregate: src_host, dst_host, src_port, dst_port, proto", "print_output: csv",
                "print_output_file: " + csv, "print_refresh_time: 1", "print_output_file_append: true",
                // Checks on (pmacct's default is off): a datagram sequence number out of line is logged.
                "sfacctd_disable_checks: false", ""));
        Peers.Daemon d = Peers.Daemon.start(dir, binary, "-f", conf.toString());
        return new Sfacctd(d, csv, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    InetSocketAddress address() {
        return address;
    }

    String log() throws IOException {
        return daemon.log();
    }

    /**
     * Sends probe datagrams to {@code via} (sfacctd itself, or a relay in front of it) until sfacctd
     * has printed a row from {@code src}; returns the last probe sent. Only the print plugin prints,
     * and pmacct's core (1.7.7) tells a plugin about the samples it queues for it only while that
     * plugin waits in its main loop. The plugin logs "cache entries=" while still setting up, and a
     * loaded machine stretches the time until it reaches that loop past a whole replay: samples the
     * core reads meanwhile stay queued, unannounced and unprinted, until a later datagram makes the
     * core wake the plugin. So a printed first probe proves the plugin hears of whatever comes after
     * it, and a printed last probe proves that everything sent before it (by one path: one socket,
     * or one relay) was printed: one socket, one core process and a first-in first-out queue to the
     * plugin keep the order.
     */
    byte[] probeUntilPrinted(String src, InetSocketAddress via) {
        AtomicReference<byte[]> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(daemon.isAlive()).as("sfacctd is running:%n%s", daemon.log()).isTrue();
            byte[] probe = probe(src, probes.incrementAndGet());
            last.set(probe);
            DatagramRecorder.send(probe, via);
            assertThat(printedSources()).as("sources sfacctd printed; its log:%n%s", daemon.log()).contains(src);
        });
        return last.get();
    }

    /** Stops sfacctd (SIGINT: flush and exit) and returns what it printed per 5-tuple, probes left out. */
    Map<String, FlowKey> stop() throws IOException, InterruptedException {
        daemon.interrupt();
        Map<String, FlowKey> out = new TreeMap<>();
        for (String[] row : Peers.csv(Files.readString(csv, StandardCharsets.UTF_8))) {
            if (row.length < 7 || row[0].equals("SRC_IP") || row[0].equals(FIRST_PROBE) || row[0].equals(LAST_PROBE)) {
                continue;
            }
            FlowKey k = new FlowKey(row[0], Integer.parseInt(row[2]), row[1], Integer.parseInt(row[3]),
                    PROTOCOLS.getOrDefault(row[4], -1), Long.parseLong(row[5]), Long.parseLong(row[6]));
            out.merge(key(k), k, Sfacctd::sum);
        }
        return out;
    }

    /** True for a probe datagram (by its agent address), which a recorder behind a relay also gets. */
    static boolean isProbe(byte[] sflowDatagram) {
        return sflowDatagram.length >= 12 && Arrays.equals(sflowDatagram, 8, 12, PROBE_AGENT_BYTES, 0, 4);
    }

    static String key(FlowKey k) {
        return k.proto() + " " + k.src() + ":" + k.srcPort() + " > " + k.dst() + ":" + k.dstPort();
    }

    static FlowKey sum(FlowKey a, FlowKey b) {
        return new FlowKey(a.src(), a.srcPort(), a.dst(), a.dstPort(), a.proto(), a.packets() + b.packets(), a.bytes() + b.bytes());
    }

    /** The source column of the complete lines of sfacctd's csv so far. */
    private List<String> printedSources() throws IOException {
        if (!Files.exists(csv)) {
            return List.of();
        }
        String text = Files.readString(csv, StandardCharsets.UTF_8);
        return Peers.csv(text.substring(0, text.lastIndexOf('\n') + 1)).stream().map(row -> row[0]).toList();
    }

    /**
     * One flow sample of a UDP packet from {@code src}, outside the test's networks, from an agent
     * that is not pmacctd's: an sFlow datagram sfacctd prints as a row of its own.
     */
    private static byte[] probe(String src, long sequence) {
        byte[] frame = PacketBuilder.ethernet().ipv4(src, PROBE_DST).udp(9, 9).payloadSize(18).build();
        return SflowBuilder.datagram().agent(PROBE_AGENT).sequence(sequence).uptimeMs(1000 + sequence)
                .flowSample(f -> f.sequence(sequence).sourceId(0, 1).samplingRate(1).samplePool(sequence)
                        .input(1).output(2).rawHeader(frame, 128))
                .build();
    }

    @Override
    public void close() {
        daemon.close();
    }
}
