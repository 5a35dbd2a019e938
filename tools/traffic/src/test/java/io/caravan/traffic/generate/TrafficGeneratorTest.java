package io.caravan.traffic.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sends more than one pre-built cycle per exporter and checks that what arrives is a well-formed
 * stream: each protocol's sequence numbers advance exactly as that protocol defines, across the
 * point where the generator starts re-sending patched datagrams.
 */
class TrafficGeneratorTest {
    private static final int COUNT = ExporterStream.CYCLE * 2 + 37;

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void sequencesStayContinuousAcrossCycles(Protocol protocol) throws Exception {
        try (DatagramSocket rx = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            rx.setReceiveBufferSize(16 << 20);
            rx.setSoTimeout(10_000);
            CompletableFuture<List<byte[]>> received = CompletableFuture.supplyAsync(() -> receive(rx, COUNT));
            GeneratorResult r = new TrafficGenerator().run(new GeneratorPlan(protocol,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), rx.getLocalPort()), 20_000, COUNT, 1, 5, 7));
            assertThat(r.datagrams()).isEqualTo(COUNT);
            assertThat(r.records()).isEqualTo(COUNT * 5L);
            List<byte[]> got = received.get();
            assertThat(got).hasSize(COUNT);
            long previous = -1;
            long expectedNext = -1;
            Set<Long> sampleSequences = new HashSet<>();
            for (byte[] d : got) {
                ByteBuffer b = ByteBuffer.wrap(d);
                switch (protocol) {
                    case NETFLOW_V5 -> {
                        assertThat(b.getShort(0)).isEqualTo((short) 5);
                        long seq = b.getInt(16) & 0xFFFFFFFFL;
                        if (expectedNext >= 0) {
                            assertThat(seq).isEqualTo(expectedNext);
                        }
                        expectedNext = seq + b.getShort(2);
                    }
                    case NETFLOW_V9 -> {
                        assertThat(b.getShort(0)).isEqualTo((short) 9);
                        long seq = b.getInt(12) & 0xFFFFFFFFL;
                        if (previous >= 0) {
                            assertThat(seq).isEqualTo(previous + 1);
                        }
                        previous = seq;
                    }
                    case IPFIX -> {
                        assertThat(b.getShort(0)).isEqualTo((short) 10);
                        assertThat(b.getShort(2) & 0xFFFF).isEqualTo(d.length);
                        long seq = b.getInt(8) & 0xFFFFFFFFL;
                        if (previous >= 0) {
                            assertThat(seq).isEqualTo(previous + 5);
                        }
                        previous = seq;
                    }
                    case SFLOW -> {
                        assertThat(b.getInt(0)).isEqualTo(5);
                        long seq = b.getInt(16) & 0xFFFFFFFFL;
                        if (previous >= 0) {
                            assertThat(seq).isEqualTo(previous + 1);
                        }
                        previous = seq;
                        int off = 28;
                        for (int i = 0; i < b.getInt(24); i++) {
                            long sampleSeq = b.getInt(off + 8) & 0xFFFFFFFFL;
                            assertThat(sampleSequences.add(sampleSeq)).as("sample sequence %d repeated", sampleSeq).isTrue();
                            assertThat(b.getInt(off + 20) & 0xFFFFFFFFL).isEqualTo(sampleSeq * 1000);
                            off += 8 + b.getInt(off + 4);
                        }
                    }
                }
            }
            if (protocol == Protocol.SFLOW) {
                assertThat(sampleSequences).hasSize(COUNT * 5).contains(1L, (long) COUNT * 5);
            }
        }
    }

    @Test
    void aTargetWithNobodyListeningIsCountedNotFatal() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = probe.getLocalPort();
        }
        GeneratorResult r = new TrafficGenerator().run(new GeneratorPlan(Protocol.IPFIX,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0, 200, 1, 5, 7));
        // Loopback answers each datagram with ICMP port unreachable at once, and the next write reports it.
        assertThat(r.refused()).isPositive();
        assertThat(r.datagrams() + r.refused()).isEqualTo(200);
        assertThat(r.records()).isEqualTo(r.datagrams() * 5);
    }

    private static List<byte[]> receive(DatagramSocket rx, int n) {
        List<byte[]> out = new ArrayList<>();
        byte[] buf = new byte[65535];
        try {
            while (out.size() < n) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                rx.receive(p);
                out.add(Arrays.copyOf(p.getData(), p.getLength()));
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("received only " + out.size() + " of " + n, e);
        }
        return out;
    }
}
