package io.caravan.traffic.datagram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class NetflowV5BuilderTest {
    @Test
    void headerFieldsAtTheirOffsets() {
        ByteBuffer b = ByteBuffer.wrap(new NetflowV5Builder().sysUptime(0x01020304L).unixSecs(0x05060708L)
                .unixNsecs(999_000_000L).flowSequence(0xFFFFFFFFL).engineType(1).engineId(2).samplingMode(2)
                .samplingInterval(0x3FFF).addRecord(NetflowV5Builder.record()).build());
        assertThat(b.limit()).isEqualTo(24 + 48);
        assertThat(b.getShort(0)).isEqualTo((short) 5);
        assertThat(b.getShort(2)).isEqualTo((short) 1);
        assertThat(b.getInt(4)).isEqualTo(0x01020304);
        assertThat(b.getInt(8)).isEqualTo(0x05060708);
        assertThat(b.getInt(12)).isEqualTo(999_000_000);
        assertThat(b.getInt(16)).isEqualTo(-1);
        assertThat(b.get(20)).isEqualTo((byte) 1);
        assertThat(b.get(21)).isEqualTo((byte) 2);
        assertThat(b.getShort(22) & 0xFFFF).isEqualTo(0xBFFF);
    }

    @Test
    void flowsBecomeUptimeRelativeRecords() {
        byte[] src = {10, 0, 0, 1};
        byte[] dst = {10, 0, 0, 2};
        SyntheticFlow f = new SyntheticFlow(src, dst, 1234, 80, 6, 5, 700, 1_700_000_000_000L - 4_000,
                1_700_000_000_000L - 1_000, 0x1A, 0x10, 3, 4, 65001, 65002, new byte[] {10, 0, 0, 3}, 24, 16);
        ByteBuffer b = ByteBuffer.wrap(new NetflowV5Builder().exportMs(1_700_000_000_000L).sysUptime(10_000)
                .addFlow(f).build());
        int r = 24;
        assertThat(b.getInt(r)).isEqualTo(0x0A000001);
        assertThat(b.getInt(r + 4)).isEqualTo(0x0A000002);
        assertThat(b.getInt(r + 8)).isEqualTo(0x0A000003);
        assertThat(b.getShort(r + 12)).isEqualTo((short) 3);
        assertThat(b.getShort(r + 14)).isEqualTo((short) 4);
        assertThat(b.getInt(r + 16)).isEqualTo(5);
        assertThat(b.getInt(r + 20)).isEqualTo(700);
        assertThat(b.getInt(r + 24)).isEqualTo(6_000);
        assertThat(b.getInt(r + 28)).isEqualTo(9_000);
        assertThat(b.getShort(r + 32)).isEqualTo((short) 1234);
        assertThat(b.getShort(r + 34)).isEqualTo((short) 80);
        assertThat(b.get(r + 37)).isEqualTo((byte) 0x1A);
        assertThat(b.get(r + 38)).isEqualTo((byte) 6);
        assertThat(b.get(r + 39)).isEqualTo((byte) 0x10);
        assertThat(b.getShort(r + 40) & 0xFFFF).isEqualTo(65001);
        assertThat(b.getShort(r + 42) & 0xFFFF).isEqualTo(65002);
        assertThat(b.get(r + 44)).isEqualTo((byte) 24);
        assertThat(b.get(r + 45)).isEqualTo((byte) 16);
    }

    @Test
    void firstWrapsBelowZeroUptime() {
        SyntheticFlow f = SyntheticFlow.of(new byte[4], new byte[4], 0, 0, 6, 1, 1, 1_700_000_000_000L - 10_000,
                1_700_000_000_000L);
        ByteBuffer b = ByteBuffer.wrap(new NetflowV5Builder().exportMs(1_700_000_000_000L).sysUptime(1_000)
                .addFlow(f).build());
        assertThat(b.getInt(24 + 24) & 0xFFFFFFFFL).isEqualTo((1L << 32) - 9_000);
    }

    @Test
    void refusesIpv6AndOutOfRangeSampling() {
        assertThatThrownBy(() -> new NetflowV5Builder().addFlow(SyntheticFlow.of(new byte[16], new byte[16], 0, 0, 6, 1,
                1, 0, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NetflowV5Builder().samplingMode(4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NetflowV5Builder().samplingInterval(0x4000))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
