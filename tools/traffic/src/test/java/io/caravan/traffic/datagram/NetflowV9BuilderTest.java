package io.caravan.traffic.datagram;

import static io.caravan.traffic.datagram.NetflowV9Builder.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetflowV9BuilderTest {
    @Test
    void headerTemplateAndPaddedDataFlowSets() {
        NetflowV9Builder b = new NetflowV9Builder().sysUptime(1000).unixSecs(2000).sequence(3).sourceId(4)
                .template(256, IN_BYTES, 4, PROTOCOL, 1).template(257, IN_PKTS, 8);
        ByteBuffer p = ByteBuffer.wrap(b.data(256, b.record(256).set(IN_BYTES, 0x11223344L).set(PROTOCOL, 17).bytes())
                .build());
        assertThat(p.getShort(0)).isEqualTo((short) 9);
        assertThat(p.getShort(2)).as("count: 2 templates + 1 data record").isEqualTo((short) 3);
        assertThat(p.getInt(4)).isEqualTo(1000);
        assertThat(p.getInt(8)).isEqualTo(2000);
        assertThat(p.getInt(12)).isEqualTo(3);
        assertThat(p.getInt(16)).isEqualTo(4);
        // Both templates in one template FlowSet: 4 + (4 + 8) + (4 + 4) = 24 bytes.
        assertThat(p.getShort(20)).isEqualTo((short) 0);
        assertThat(p.getShort(22)).isEqualTo((short) 24);
        assertThat(p.getShort(24)).isEqualTo((short) 256);
        assertThat(p.getShort(26)).isEqualTo((short) 2);
        assertThat(p.getShort(28)).isEqualTo((short) IN_BYTES);
        assertThat(p.getShort(30)).isEqualTo((short) 4);
        assertThat(p.getShort(36)).isEqualTo((short) 257);
        // Data FlowSet: 4 + 5 bytes record, padded to 12.
        assertThat(p.getShort(44)).isEqualTo((short) 256);
        assertThat(p.getShort(46)).isEqualTo((short) 12);
        assertThat(p.getInt(48)).isEqualTo(0x11223344);
        assertThat(p.get(52)).isEqualTo((byte) 17);
        assertThat(p.limit()).isEqualTo(56);
    }

    @Test
    void optionsTemplateLengthsAreInBytes() {
        ByteBuffer p = ByteBuffer.wrap(new NetflowV9Builder().optionsSampling(300, 1, 2, 100).build());
        assertThat(p.getShort(20)).isEqualTo((short) 1);
        assertThat(p.getShort(22)).isEqualTo((short) 28); // 4 + 6 + 16, padded from 26
        assertThat(p.getShort(24)).isEqualTo((short) 300);
        assertThat(p.getShort(26)).isEqualTo((short) 4);
        assertThat(p.getShort(28)).isEqualTo((short) 12);
        assertThat(p.getShort(48)).isEqualTo((short) 300);
        assertThat(p.getShort(50)).isEqualTo((short) 16); // 4 + 11, padded
        assertThat(p.getInt(52)).isZero();                 // system scope value
        assertThat(p.getShort(56)).isEqualTo((short) 1);   // sampler id
        assertThat(p.get(58)).isEqualTo((byte) 2);         // mode
        assertThat(p.getInt(59)).isEqualTo(100);           // interval
    }

    @Test
    void addFlowsUsesTheIpv6LayoutUnderTheNextId() {
        byte[] v6 = new byte[16];
        v6[15] = 1;
        SyntheticFlow f4 = SyntheticFlow.of(new byte[] {1, 2, 3, 4}, new byte[] {5, 6, 7, 8}, 1, 2, 6, 3, 4,
                1_700_000_000_000L - 500, 1_700_000_000_000L);
        SyntheticFlow f6 = SyntheticFlow.of(v6, v6, 1, 2, 6, 3, 4, 1_700_000_000_000L, 1_700_000_000_000L);
        NetflowV9Builder b = new NetflowV9Builder().unixSecs(1_700_000_000L).sysUptime(60_000)
                .addFlows(256, List.of(f4, f6, f4));
        ByteBuffer p = ByteBuffer.wrap(b.build());
        assertThat(b.recordCount()).isEqualTo(3);
        assertThat(p.getShort(20)).isEqualTo((short) 256);
        int v4Length = p.getShort(22);
        assertThat(v4Length).isEqualTo(4 + 2 * 61 + 2);
        assertThat(p.getShort(20 + v4Length)).isEqualTo((short) 257);
        // FIRST_SWITCHED ends the 61-byte v4 layout: 60,000 - 500.
        assertThat(p.getInt(24 + 61 - 4)).isEqualTo(59_500);
    }
}
