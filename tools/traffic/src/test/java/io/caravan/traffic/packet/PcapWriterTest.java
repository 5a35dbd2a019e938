package io.caravan.traffic.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
    @TempDir
    Path dir;

    @Test
    void writesTheClassicGlobalAndRecordHeaders() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] frame = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1000, 2000).build();
        try (PcapWriter w = new PcapWriter(bytes)) {
            w.write(1_700_000_000_123_456L, frame);
            assertThat(w.packets()).isEqualTo(1);
        }

        ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).isEqualTo(0xa1b2c3d4);   // magic, microsecond timestamps
        assertThat(b.getShort(4)).isEqualTo((short) 2);  // version 2.4
        assertThat(b.getShort(6)).isEqualTo((short) 4);
        assertThat(b.getInt(8)).isZero();                // thiszone
        assertThat(b.getInt(12)).isZero();               // sigfigs
        assertThat(b.getInt(16)).isEqualTo(65535);       // snaplen
        assertThat(b.getInt(20)).isEqualTo(1);           // LINKTYPE_ETHERNET
        assertThat(b.getInt(24)).isEqualTo(1_700_000_000);
        assertThat(b.getInt(28)).isEqualTo(123_456);
        assertThat(b.getInt(32)).isEqualTo(frame.length);
        assertThat(b.getInt(36)).isEqualTo(frame.length);
        assertThat(b.capacity()).isEqualTo(24 + 16 + frame.length);
    }

    @Test
    void oversizeFramesAreCutToTheSnaplenKeepingTheOriginalLength() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes)) {
            w.write(0, new byte[70_000]);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(32)).isEqualTo(65535);
        assertThat(b.getInt(36)).isEqualTo(70_000);
        assertThat(b.capacity()).isEqualTo(24 + 16 + 65535);
    }

    @Test
    void tsharkReadsBackEveryField() throws Exception {
        Assumptions.assumeTrue(onPath("tshark"), "tshark is not on PATH");
        Path file = dir.resolve("packets.pcap");
        try (PcapWriter w = PcapWriter.create(file)) {
            w.write(1_700_000_000_123_456L, PacketBuilder.ethernet().srcMac("aa:bb:cc:dd:ee:01").vlan(100)
                    .ipv4("10.0.0.1", "192.0.2.9").ttl(63).ipId(7).tcp(51000, 8443)
                    .tcpFlags(PacketBuilder.TCP_SYN | PacketBuilder.TCP_ACK).payloadSize(100).build());
            w.write(1_700_000_001_000_000L, PacketBuilder.ethernet().qinq(10, 20).mpls(16).mpls(17)
                    .ipv4("10.0.0.2", "192.0.2.9").ipId(8).ipv4Options(new byte[] {1, 1, 1, 0}).udp(5000, 9999)
                    .payloadSize(30).build());
            w.write(1_700_000_002_000_000L, PacketBuilder.ethernet().ipv6("2001:db8::1", "2001:db8::2")
                    .flowLabel(0x12345).hopByHop().destinationOptions(8).tcp(1, 2).payloadSize(5).build());
            w.write(1_700_000_003_000_000L, PacketBuilder.ethernet().ipv6("2001:db8::1", "2001:db8::2")
                    .icmpv6(128, 0).payloadSize(5).build());
            w.write(1_700_000_004_000_000L, PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").ipId(9)
                    .icmp(8, 0).icmpRest(0x00010001).payloadSize(56).build());
        }

        List<String> lines = tshark(file, "frame.time_epoch", "ieee8021ad.id", "vlan.id", "mpls.label", "ip.src", "ip.ttl",
                "ip.checksum.status", "tcp.srcport", "tcp.dstport", "tcp.flags", "tcp.checksum.status", "udp.srcport",
                "udp.checksum.status", "ipv6.src", "ipv6.flow", "icmp.type", "icmp.checksum.status", "icmpv6.type",
                "icmpv6.checksum.status", "_ws.malformed");

        // status 1 = checksum verified good
        assertThat(lines).containsExactly(
                "1700000000.123456000||100||10.0.0.1|63|1|51000|8443|0x0012|1|||||||||",
                "1700000001.000000000|10|20|16,17|10.0.0.2|64|1|||||5000|1|||||||",
                "1700000002.000000000|||||||1|2|0x0010|1|||2001:db8::1|0x012345|||||",
                "1700000003.000000000|||||||||||||2001:db8::1|0x000000|||128|1|",
                "1700000004.000000000||||10.0.0.1|64|1|||||||||8|1|||");
    }

    @Test
    void softflowdTurnsThePacketsIntoFlows() throws Exception {
        Path softflowd = locate("softflowd");
        Assumptions.assumeTrue(softflowd != null, "softflowd is not installed");
        Path file = dir.resolve("flows.pcap");
        try (PcapWriter w = PcapWriter.create(file)) {
            w.write(1_700_000_000_000_000L, PacketBuilder.ethernet().ipv4("10.0.0.1", "192.0.2.9").ipId(1)
                    .tcp(51000, 443).tcpFlags(PacketBuilder.TCP_SYN).build());
            w.write(1_700_000_000_500_000L, PacketBuilder.ethernet().ipv6("2001:db8::1", "2001:db8::2")
                    .udp(5000, 6000).payloadSize(20).build());
        }
        // -D: foreground with debug output; the v5 export goes to the discard port.
        Process p = new ProcessBuilder(softflowd.toString(), "-r", file.toString(), "-D", "-n", "127.0.0.1:9")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(out).contains("ADD FLOW seq:1 [10.0.0.1]:51000 <> [192.0.2.9]:443 proto:6")
                .contains("ADD FLOW seq:2 [2001:db8::1]:5000 <> [2001:db8::2]:6000 proto:17")
                .contains("Packets processed: 2").contains("Ignored packets: 0");
    }

    private static List<String> tshark(Path file, String... fields) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("tshark", "-r", file.toString(), "-n",
                "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                "-T", "fields", "-E", "separator=|"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tshark exit status").isZero();
        return out.lines().toList();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    /** The program on PATH or in /usr/sbin, or null. */
    private static Path locate(String program) {
        if (onPath(program)) {
            return Path.of(program);
        }
        Path sbin = Path.of("/usr/sbin", program);
        return Files.isExecutable(sbin) ? sbin : null;
    }
}
