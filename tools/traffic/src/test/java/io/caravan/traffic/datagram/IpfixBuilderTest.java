package io.caravan.traffic.datagram;

import static io.caravan.traffic.datagram.IpfixBuilder.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class IpfixBuilderTest {
    @Test
    void headerLengthAndEnterpriseAndVariableFields() {
        IpfixBuilder b = new IpfixBuilder().exportTime(7).sequence(8).observationDomain(9)
                .template(256, field(OCTET_DELTA_COUNT, 4), varField(INTERFACE_NAME), field(1, 2, 2636));
        ByteBuffer m = ByteBuffer.wrap(b.data(256, b.record(256).set(OCTET_DELTA_COUNT, 5)
                .set(INTERFACE_NAME, new byte[] {'a', 'b'}).set(2636, 1, 3).bytes()).build());
        assertThat(m.getShort(0)).isEqualTo((short) 10);
        assertThat(m.getShort(2)).isEqualTo((short) m.limit());
        assertThat(m.getInt(4)).isEqualTo(7);
        assertThat(m.getInt(8)).isEqualTo(8);
        assertThat(m.getInt(12)).isEqualTo(9);
        // Template set: 4 + 4 + 4 + 4 + 8 = 24.
        assertThat(m.getShort(16)).isEqualTo((short) 2);
        assertThat(m.getShort(18)).isEqualTo((short) 24);
        assertThat(m.getShort(24)).isEqualTo((short) OCTET_DELTA_COUNT);
        assertThat(m.getShort(30) & 0xFFFF).isEqualTo(VARIABLE);
        assertThat(m.getShort(32) & 0xFFFF).isEqualTo(0x8001);
        assertThat(m.getInt(36)).isEqualTo(2636);
        // Data set: 4 + 4 + (1 + 2) + 2 = 13, padded to 16.
        assertThat(m.getShort(40)).isEqualTo((short) 256);
        assertThat(m.getShort(42)).isEqualTo((short) 16);
        assertThat(m.getInt(44)).isEqualTo(5);
        assertThat(m.get(48)).isEqualTo((byte) 2);
        assertThat(m.getShort(51)).isEqualTo((short) 3);
    }

    @Test
    void longFormVariableLengthAndNoPadding() {
        IpfixBuilder b = new IpfixBuilder().setPadding(1).template(256, varField(INTERFACE_NAME));
        ByteBuffer m = ByteBuffer.wrap(b.data(256, b.record(256).setLongForm(INTERFACE_NAME, new byte[] {'x'}).bytes())
                .build());
        int data = 16 + 12;
        assertThat(m.getShort(data + 2)).isEqualTo((short) (4 + 4));
        assertThat(m.get(data + 4) & 0xFF).isEqualTo(255);
        assertThat(m.getShort(data + 5)).isEqualTo((short) 1);
        assertThat(m.get(data + 7)).isEqualTo((byte) 'x');
    }

    @Test
    void withdrawalsAndOptionsTemplates() {
        ByteBuffer m = ByteBuffer.wrap(new IpfixBuilder().withdrawTemplate(300).withdrawAllTemplates()
                .optionsTemplate(400, 1, field(SELECTOR_ID, 4), field(SAMPLING_PACKET_INTERVAL, 4)).build());
        assertThat(m.getShort(16)).isEqualTo((short) 2);
        assertThat(m.getShort(18)).isEqualTo((short) 12);
        assertThat(m.getShort(20)).isEqualTo((short) 300);
        assertThat(m.getShort(22)).isZero();
        assertThat(m.getShort(24)).isEqualTo((short) 2);
        assertThat(m.getShort(28)).isEqualTo((short) 3);
        assertThat(m.getShort(30)).isEqualTo((short) (4 + 6 + 8));
        assertThat(m.getShort(32)).isEqualTo((short) 400);
        assertThat(m.getShort(34)).isEqualTo((short) 2);
        assertThat(m.getShort(36)).isEqualTo((short) 1);
    }

    @Test
    void duplicateElementsFillInOrder() {
        byte[] r = IpfixBuilder.record(field(SOURCE_IPV4_ADDRESS, 4), field(SOURCE_IPV4_ADDRESS, 4))
                .set(SOURCE_IPV4_ADDRESS, new byte[] {1, 1, 1, 1}).set(SOURCE_IPV4_ADDRESS, new byte[] {2, 2, 2, 2})
                .bytes();
        assertThat(r).containsExactly(1, 1, 1, 1, 2, 2, 2, 2);
    }
}
