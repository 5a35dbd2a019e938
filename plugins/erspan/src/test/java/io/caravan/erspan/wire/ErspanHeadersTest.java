package io.caravan.erspan.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.erspan.wire.ErspanTypeIII.Granularity;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The headers byte by byte, each group commented with its fields. */
class ErspanHeadersTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void greCarriesTheSequenceNumberWithOnlyTheSBitSet() {
        byte[] b = new byte[GreHeader.SIZE];
        GreHeader.write(b, 0, GreHeader.PROTOCOL_ERSPAN_II, -1);

        assertThat(HEX.formatHex(b)).isEqualTo(
                "1000"          // C=0 R=0 K=0 S=1, reserved 0, version 0 (Skydive: 0008, S clear)
                + "88be"        // ERSPAN type II
                + "ffffffff");  // sequence 4294967295: an int read as unsigned
    }

    @Test
    void typeIIKeepsAllTenSessionBits() {
        byte[] b = new byte[ErspanTypeII.SIZE];
        ErspanTypeII.write(b, 0, 0, 0, ErspanTypeII.EN_TAG_PRESERVED, true, 1, 5);
        assertThat(HEX.formatHex(b)).isEqualTo("10001c0100000005"); // Skydive's example for ifindex 5, session 1

        ErspanTypeII.write(b, 0, 4095, 7, ErspanTypeII.EN_UNTAGGED, false, 0x3FF, 0xFFFFF);
        assertThat(HEX.formatHex(b)).isEqualTo(
                "1fff"          // ver 1, VLAN 4095
                + "e3ff"        // COS 7, En 0, T 0, session 1023 (Skydive's 0x2FF mask would give e2ff)
                + "000fffff");  // reserved 0, index 2^20-1
    }

    @Test
    void typeIIMasksValuesToTheirFields() {
        byte[] b = new byte[ErspanTypeII.SIZE];
        ErspanTypeII.write(b, 0, 0x1064, 8, 4, false, 0x401, 0x100005);

        assertThat(HEX.formatHex(b)).isEqualTo("1064" + "0001" + "00000005");
    }

    @Test
    void typeIIIWithoutSubheader() {
        byte[] b = new byte[ErspanTypeIII.SIZE];
        long ns = 1_700_000_000_123_456_789L;
        ErspanTypeIII.write(b, 0, 100, 5, true, 513, Granularity.US_100, ns, 0x1234, 42, true, 9);

        assertThat(HEX.formatHex(b)).isEqualTo(
                "2064"          // ver 2, VLAN 100
                + "a601"        // COS 5, BSO 0, T 1, session 513
                + String.format("%08x", ns / 100_000 & 0xFFFFFFFFL)
                + "1234"        // SGT
                + "02a8");      // P 0, FT 0, HW ID 42, D 1 (egress), Gra 0, O 0
    }

    @Test
    void typeIIIInIeee1588FormCarriesSecondsInPlatformSubheader3() {
        byte[] b = new byte[ErspanTypeIII.size(Granularity.IEEE_1588)];
        ErspanTypeIII.write(b, 0, 0, 0, false, 2, Granularity.IEEE_1588, 1_700_000_000_123_456_789L, 0, 0, false, 77);

        assertThat(b).hasSize(20);
        assertThat(HEX.formatHex(b)).isEqualTo(
                "2000" + "0002"
                + "075bcd15"    // 123456789 ns
                + "0000" + "0005" // Gra 2, O 1
                + "0c00004d"    // platform id 3, reserved 0, port index 77
                + "6553f100");  // 1700000000 s
    }

    @Test
    void granularities() {
        long ns = 1_700_000_000_123_456_789L;
        assertThat(Granularity.US_100.timestamp(ns)).isEqualTo(ns / 100_000 % (1L << 32));
        assertThat(Granularity.NS_100.timestamp(ns)).isEqualTo(ns / 100 % (1L << 32));
        assertThat(Granularity.IEEE_1588.timestamp(ns)).isEqualTo(123_456_789L);
        assertThat(Granularity.US_100.gra()).isZero();
        assertThat(Granularity.NS_100.gra()).isEqualTo(1);
        assertThat(Granularity.IEEE_1588.gra()).isEqualTo(2);
    }
}
