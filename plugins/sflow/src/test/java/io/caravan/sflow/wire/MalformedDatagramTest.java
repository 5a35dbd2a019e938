package io.caravan.sflow.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.decode.DecodeException;
import io.caravan.api.decode.DecodeException.Reason;
import io.caravan.traffic.datagram.SflowBuilder;
import io.caravan.traffic.packet.PacketBuilder;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The malformed corpus: each datagram fails with the expected reason, never anything else, never a hang. */
class MalformedDatagramTest {
    private static final SflowDecoder DECODER = new SflowDecoder();
    private static final byte[] FRAME = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2)
            .payloadSize(100).build();

    static Stream<Arguments> corpus() {
        byte[] valid = rich();
        return Stream.of(
                Arguments.of("empty", new byte[0], Reason.TRUNCATED),
                Arguments.of("three bytes", new byte[] {0, 0, 0}, Reason.TRUNCATED),
                Arguments.of("all 0xFF", filled(64, 0xFF), Reason.BAD_VERSION),
                Arguments.of("all 0x00", filled(64, 0x00), Reason.BAD_VERSION),
                Arguments.of("version 4", SflowBuilder.datagram().version(4).build(), Reason.BAD_VERSION),
                Arguments.of("version 5 then all 0xFF", withVersion5(filled(64, 0xFF)), Reason.BAD_ADDRESS_TYPE),
                Arguments.of("agent address type 3", SflowBuilder.datagram().agentAddressType(3).build(),
                        Reason.BAD_ADDRESS_TYPE),
                Arguments.of("cut inside the IPv6 agent address",
                        Arrays.copyOf(SflowBuilder.datagram().agent("2001:db8::1").build(), 14), Reason.TRUNCATED),
                Arguments.of("cut before num_samples", Arrays.copyOf(SflowBuilder.datagram().build(), 26),
                        Reason.TRUNCATED),
                Arguments.of("a million samples declared", SflowBuilder.datagram().sampleCount(1_000_000).build(),
                        Reason.COUNT_TOO_LARGE),
                Arguments.of("more samples declared than present",
                        SflowBuilder.datagram().sampleCount(2).counterSample(c -> c.sequence(1)).build(),
                        Reason.TRUNCATED),
                Arguments.of("sample length past the datagram end",
                        SflowBuilder.datagram().counterSample(c -> c.declaredLength(9999)).build(), Reason.TRUNCATED),
                Arguments.of("sample length 0xFFFFFFFF",
                        SflowBuilder.datagram().rawSample(1, 0xFFFFFFFF, new byte[8]).build(), Reason.TRUNCATED),
                Arguments.of("cut in the middle of a sample", Arrays.copyOf(valid, valid.length - 30), Reason.TRUNCATED),
                Arguments.of("record length past the sample end",
                        SflowBuilder.datagram().flowSample(s -> s.rawRecord(SflowBuilder.dataFormat(0, 1001), 400,
                                new byte[16])).counterSample(c -> c.sequence(1)).build(), Reason.BAD_LENGTH),
                Arguments.of("more records declared than present",
                        SflowBuilder.datagram().flowSample(s -> s.recordCount(77).extendedSwitch(x -> x.srcVlan(1)))
                                .build(), Reason.BAD_LENGTH),
                Arguments.of("a million records declared",
                        SflowBuilder.datagram().flowSample(s -> s.recordCount(1_000_000)).build(),
                        Reason.COUNT_TOO_LARGE),
                Arguments.of("a million counter records declared",
                        SflowBuilder.datagram().counterSample(c -> c.recordCount(1_000_000)).build(),
                        Reason.COUNT_TOO_LARGE),
                Arguments.of("flow sample shorter than its fixed part",
                        SflowBuilder.datagram().rawSample(1, 20, new byte[20]).build(), Reason.BAD_LENGTH),
                Arguments.of("expanded counter sample shorter than its fixed part",
                        SflowBuilder.datagram().rawSample(4, 12, new byte[12]).build(), Reason.BAD_LENGTH),
                Arguments.of("discarded packet sample shorter than its fixed part",
                        SflowBuilder.datagram().rawSample(5, 28, new byte[28]).build(), Reason.BAD_LENGTH),
                Arguments.of("header_length past the record end",
                        SflowBuilder.datagram().flowSample(s -> s.rawHeader(h -> h.frameLength(100).stripped(4)
                                .header(new byte[8]).headerLengthOverride(200))).build(), Reason.BAD_LENGTH),
                Arguments.of("raw header record shorter than 16 bytes",
                        SflowBuilder.datagram().flowSample(s -> s.rawRecord(SflowBuilder.dataFormat(0, 1), 12,
                                new byte[12])).build(), Reason.BAD_LENGTH),
                Arguments.of("sampled IPv4 record shorter than 32 bytes",
                        SflowBuilder.datagram().flowSample(s -> s.sampledIpv4(ip -> ip.declaredLength(28))).build(),
                        Reason.BAD_LENGTH),
                Arguments.of("extended router next hop type 7",
                        SflowBuilder.datagram().flowSample(s -> s.rawRecord(SflowBuilder.dataFormat(0, 1002), 16,
                                words(7, 0, 24, 24))).build(), Reason.BAD_ADDRESS_TYPE),
                Arguments.of("extended router cut inside its IPv6 next hop",
                        SflowBuilder.datagram().flowSample(s -> s.rawRecord(SflowBuilder.dataFormat(0, 1002), 12,
                                words(2, 0, 0))).build(), Reason.BAD_LENGTH),
                Arguments.of("extended gateway with 2^28 path segments",
                        SflowBuilder.datagram().flowSample(s -> s.rawRecord(SflowBuilder.dataFormat(0, 1003), 28,
                                words(1, 0x0A000001, 65000, 65001, 65002, 0x1000_0000, 0))).build(), Reason.BAD_LENGTH),
                Arguments.of("extended gateway segment with 2^30 ASNs",
                        SflowBuilder.datagram().flowSample(s -> s.rawRecord(SflowBuilder.dataFormat(0, 1003), 40,
                                words(1, 0x0A000001, 65000, 65001, 65002, 1, 2, 0x4000_0000, 0, 0))).build(),
                        Reason.BAD_LENGTH),
                Arguments.of("extended gateway with 2^31 communities",
                        SflowBuilder.datagram().flowSample(s -> s.rawRecord(SflowBuilder.dataFormat(0, 1003), 32,
                                words(1, 0x0A000001, 65000, 65001, 65002, 0, 0x8000_0000, 100))).build(),
                        Reason.BAD_LENGTH),
                Arguments.of("generic interface counters shorter than 88 bytes",
                        SflowBuilder.datagram().counterSample(c -> c.rawRecord(1, 80, new byte[80])).build(),
                        Reason.BAD_LENGTH),
                Arguments.of("ethernet counters shorter than 52 bytes",
                        SflowBuilder.datagram().counterSample(c -> c.rawRecord(2, 48, new byte[48])).build(),
                        Reason.BAD_LENGTH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void failsWithTheExpectedReason(String name, byte[] datagram, Reason expected) {
        assertThatThrownBy(() -> DECODER.decode(datagram)).isInstanceOf(DecodeException.class)
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo(expected));
    }

    @Test
    void theExceptionSaysWhereAndShowsTheBytes() {
        byte[] d = SflowBuilder.datagram().counterSample(c -> c.declaredLength(9999)).build();

        assertThatThrownBy(() -> DECODER.decode(d)).isInstanceOfSatisfying(DecodeException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
            assertThat(e.offset()).isEqualTo(36);                  // the sample body after its format and length
            // 8 bytes either side, '|' at the offset: the sample's format (2) and length (9999), then its body.
            assertThat(e.excerpt()).isEqualTo("000000020000270f|0000000000000000");
            assertThat(e.getMessage()).isEqualTo(
                    "TRUNCATED at offset 36: sample needs 9999 bytes, 12 left [000000020000270f|0000000000000000]");
        });
        assertThatThrownBy(() -> DECODER.decode(filled(40, 0xFF))).isInstanceOfSatisfying(DecodeException.class,
                e -> assertThat(e.excerpt()).isEqualTo("|ffffffffffffffff"));
    }

    @Test
    void everyPrefixOfAValidDatagramIsTruncated() throws Exception {
        byte[] valid = rich();
        assertThat(DECODER.decode(valid).samples()).hasSize(4);

        for (int n = 0; n < valid.length; n++) {
            byte[] prefix = Arrays.copyOf(valid, n);
            assertThat(reasonOf(DECODER, prefix)).as("prefix of %d bytes", n).isEqualTo(Reason.TRUNCATED);
        }
    }

    @Test
    void randomCorruptionOnlyEverThrowsDecodeException() {
        byte[] valid = rich();
        SplittableRandom random = new SplittableRandom(42);
        int decoded = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] d = valid.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                d[random.nextInt(d.length)] = (byte) random.nextInt(256);
            }
            if (reasonOf(DECODER, d) == null) {
                decoded++;
            }
        }
        assertThat(decoded).isPositive();
    }

    /** The decode failure's reason, or null when it decodes; any other exception fails the test. */
    static Reason reasonOf(SflowDecoder decoder, byte[] datagram) {
        try {
            decoder.decode(datagram);
            return null;
        } catch (DecodeException e) {
            return e.reason();
        }
    }

    /** A datagram with one of everything. */
    static byte[] rich() {
        return SflowBuilder.datagram().agent("2001:db8::1").sequence(3)
                .flowSample(s -> s.sequence(1).sourceId(0, 3).samplingRate(100).input(3).output(4).rawHeader(FRAME, 64)
                        .extendedSwitch(x -> x.srcVlan(10))
                        .extendedRouter(r -> r.nextHop("10.0.0.254").srcMaskLen(8).dstMaskLen(16))
                        .extendedGateway(g -> g.nextHop("2001:db8::fe").as(1).srcAs(2).asSequence(3, 4).asSet(5)
                                .communities(6, 7).localPref(8)))
                .expandedFlowSample(s -> s.sequence(2).sampledIpv4(ip -> ip.protocol(6))
                        .sampledIpv6(ip -> ip.protocol(17)).sampledEthernet(e -> e.length(64)))
                .counterSample(c -> c.sequence(1).genericInterface(i -> i.ifIndex(3)).ethernet(e -> e.dot3StatsFCSErrors(1)))
                .discardedPacket(p -> p.sequence(1).reason(258).rawHeader(FRAME, 32))
                .build();
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] withVersion5(byte[] b) {
        ByteBuffer.wrap(b).putInt(0, 5);
        return b;
    }

    private static byte[] words(long... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length);
        for (long v : values) {
            b.putInt((int) v);
        }
        return b.array();
    }
}
