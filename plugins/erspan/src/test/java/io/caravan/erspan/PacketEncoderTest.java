package io.caravan.erspan;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.flow.FlowRecord;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Packets built from records, without sockets. */
class PacketEncoderTest {
    private static final HexFormat HEX = HexFormat.of();

    private static ErspanConfiguration config(String... kv) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("target", "127.0.0.1");
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        return ErspanConfiguration.of("t", p);
    }

    private static Frames.Frame frame(FlowRecord r) {
        Frames.Skip[] skip = new Frames.Skip[1];
        Frames.Frame f = Frames.of(r, skip);
        assertThat(f).as("skipped: %s", skip[0]).isNotNull();
        return f;
    }

    private static byte[] ethernet(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) i;
        }
        b[12] = 0x08;
        b[13] = 0x00;
        return b;
    }

    @Test
    void truncateCutsTheFrameAndSetsT() throws Exception {
        byte[] frame = ethernet(200);
        PacketEncoder e = new PacketEncoder(config("truncate", "64"));

        byte[] p = e.encode(frame(new FlowRecord().attribute("frame", frame)), 0, 0);

        assertThat(p).hasSize(16 + 64);
        assertThat(Arrays.copyOfRange(p, 16, p.length)).containsExactly(Arrays.copyOf(frame, 64));
        assertThat(p[10] & 0x04).isEqualTo(0x04);     // T
    }

    @Test
    void aFrameShorterThanItsOriginalLengthIsTruncated() throws Exception {
        byte[] frame = ethernet(64);
        PacketEncoder e = new PacketEncoder(config());

        byte[] cut = e.encode(frame(new FlowRecord().attribute("frame", frame).attribute("frame_length", 1500L)), 0, 0);
        byte[] whole = e.encode(frame(new FlowRecord().attribute("frame", frame).attribute("frame_length", 64L)), 0, 0);

        assertThat(cut[10] & 0x04).isEqualTo(0x04);
        assertThat(whole[10] & 0x04).isZero();
        assertThat(whole).hasSize(16 + 64);           // no CRC appended
    }

    @Test
    void ipPacketsGetAnEthernetHeaderFromTheRecord() throws Exception {
        byte[] ip = {0x45, 0, 0, 20, 1, 2, 3, 4};
        FlowRecord r = new FlowRecord().srcMac(0xAABBCCDDEEFFL).dstMac(0x112233445566L).attribute("frame", ip);
        PacketEncoder e = new PacketEncoder(config());

        byte[] v4 = e.encode(frame(r.attribute("frame_protocol", 11L)), 0, 0);
        byte[] v6 = e.encode(frame(r.attribute("frame_protocol", 12L)), 0, 0);
        byte[] mpls = e.encode(frame(r.attribute("frame_protocol", 13L)), 0, 0);

        assertThat(HEX.formatHex(Arrays.copyOfRange(v4, 16, v4.length)))
                .isEqualTo("112233445566" + "aabbccddeeff" + "0800" + "4500001401020304");
        assertThat(HEX.formatHex(Arrays.copyOfRange(v6, 28, 30))).isEqualTo("86dd");
        assertThat(HEX.formatHex(Arrays.copyOfRange(mpls, 28, 30))).isEqualTo("8847");
    }

    @Test
    void truncateCanCutInsideTheAddedEthernetHeader() throws Exception {
        FlowRecord r = new FlowRecord().dstMac(0x112233445566L).attribute("frame", new byte[40])
                .attribute("frame_protocol", 11L);

        byte[] p = new PacketEncoder(config("truncate", "6")).encode(frame(r), 0, 0);

        assertThat(HEX.formatHex(Arrays.copyOfRange(p, 16, p.length))).isEqualTo("112233445566");
    }

    @Test
    void recordsWithoutAnEthernetFrameAreSkippedWithAReason() {
        Frames.Skip[] skip = new Frames.Skip[1];

        assertThat(Frames.of(new FlowRecord(), skip)).isNull();
        assertThat(skip[0]).isEqualTo(Frames.Skip.NO_FRAME);
        assertThat(Frames.of(new FlowRecord().attribute("frame", "not bytes"), skip)).isNull();
        assertThat(skip[0]).isEqualTo(Frames.Skip.NO_FRAME);
        assertThat(Frames.of(new FlowRecord().attribute("frame", new byte[0]), skip)).isNull();
        assertThat(skip[0]).isEqualTo(Frames.Skip.NO_FRAME);
        assertThat(Frames.of(new FlowRecord().attribute("frame", new byte[20]).attribute("frame_protocol", 7L), skip))
                .isNull();                                // 802.11
        assertThat(skip[0]).isEqualTo(Frames.Skip.NOT_ETHERNET);
    }

    @Test
    void indexComesFromTheChosenInterfaceOrIsFixed() throws Exception {
        FlowRecord r = new FlowRecord().inIf(3).outIf(4).attribute("frame", ethernet(20));

        assertThat(new PacketEncoder(config()).encode(frame(r), 0, 0)[15]).isEqualTo((byte) 3);
        assertThat(new PacketEncoder(config("indexFrom", "out-if")).encode(frame(r), 0, 0)[15]).isEqualTo((byte) 4);
        assertThat(new PacketEncoder(config("indexFrom", "fixed", "index", "9")).encode(frame(r), 0, 0)[15])
                .isEqualTo((byte) 9);
    }

    @Test
    void typeIIIUsesTheClockWhenTheRecordHasNoReceiveTime() throws Exception {
        FlowRecord r = new FlowRecord().attribute("frame", ethernet(20));

        byte[] p = new PacketEncoder(config("version", "3", "timestamp", "ieee1588")).encode(frame(r), 0,
                1_000_000_007L);

        assertThat(HEX.formatHex(Arrays.copyOfRange(p, 12, 16))).isEqualTo("00000007");    // ns of the second
        assertThat(HEX.formatHex(Arrays.copyOfRange(p, 24, 28))).isEqualTo("00000001");    // seconds
    }
}
