package io.caravan.skydive.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.traffic.skydive.StructMessages;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Both envelopes, and what is not one. */
class EnvelopeDecoderTest {
    private final EnvelopeDecoder decoder = new EnvelopeDecoder(new ObjectMapper());
    private static final byte[] OBJ = "[{\"UUID\":\"a\",\"Start\":1,\"Last\":2}]".getBytes(StandardCharsets.UTF_8);

    @Test
    void theJsonEnvelopeOfATextFrame() throws Exception {
        Envelope e = decoder.decodeText("{\"Namespace\":\"flow\",\"Type\":\"store\",\"UUID\":\"u1\",\"Status\":200,"
                + "\"Obj\":[{\"UUID\":\"a\"},{\"UUID\":\"b\"}]}");

        assertThat(e.namespace()).isEqualTo("flow");
        assertThat(e.isStore()).isTrue();
        assertThat(e.uuid()).isEqualTo("u1");
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.obj()).hasSize(2);
    }

    @Test
    void theProtobufStructMessageOfABinaryFrameCarriesTheSameJson() throws Exception {
        byte[] frame = StructMessages.encode("flow/c1", "store", "u2", 200, 0, OBJ);

        Envelope e = decoder.decodeBinary(frame, 0, frame.length);
        assertThat(e.namespace()).isEqualTo("flow/c1");
        assertThat(e.type()).isEqualTo("store");
        assertThat(e.uuid()).isEqualTo("u2");
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.obj().get(0).path("UUID").asText()).isEqualTo("a");
    }

    @Test
    void unknownProtobufFieldsOfEveryWireTypeAreSkipped() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) (9 << 3), (byte) 0x96, 0x01}); // 9: varint 150
        out.writeBytes(new byte[] {(byte) (10 << 3 | 1), 1, 2, 3, 4, 5, 6, 7, 8}); // 10: fixed64
        out.writeBytes(new byte[] {(byte) (11 << 3 | 5), 1, 2, 3, 4}); // 11: fixed32
        out.writeBytes(new byte[] {(byte) (12 << 3 | 2), 2, 'h', 'i'}); // 12: bytes
        out.writeBytes(StructMessages.encode("stats", "stats", "", 200, 0, "{}".getBytes(StandardCharsets.UTF_8)));

        byte[] frame = out.toByteArray();
        Envelope e = decoder.decodeBinary(frame, 0, frame.length);
        assertThat(e.type()).isEqualTo("stats");
        assertThat(e.isStore()).isFalse();
    }

    @Test
    void malformedFramesSayWhatIsWrong() {
        byte[] good = StructMessages.encode("flow", "store", "u", 200, 0, OBJ);

        assertThatThrownBy(() -> decoder.decodeText("not json")).isInstanceOf(MalformedEnvelopeException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> decoder.decodeText("[1,2]")).hasMessageContaining("not an object");
        assertThatThrownBy(() -> decoder.decodeText("{\"Namespace\":\"flow\"}")).hasMessageContaining("no Type");
        assertThatThrownBy(() -> decoder.decodeText("{\"Type\":\"store\",\"Obj\":{}}"))
                .hasMessageContaining("not an array");
        assertThatThrownBy(() -> decoder.decodeBinary(good, 0, good.length - 5)).hasMessageContaining("past the end");
        assertThatThrownBy(() -> decoder.decodeBinary(new byte[] {(byte) 0xFF}, 0, 1)).hasMessageContaining("truncated");
        byte[] eleven = new byte[11];
        Arrays.fill(eleven, (byte) 0xFF);
        assertThatThrownBy(() -> decoder.decodeBinary(eleven, 0, 11)).hasMessageContaining("longer than 10");
        assertThatThrownBy(() -> decoder.decodeBinary(new byte[] {0x00}, 0, 1)).hasMessageContaining("field number 0");
        assertThatThrownBy(() -> decoder.decodeBinary(new byte[] {(byte) (2 << 3)}, 0, 1)).hasMessageContaining(
                "wire type");
        byte[] noType = StructMessages.encode("flow", "", "u", 200, 0, OBJ);
        assertThatThrownBy(() -> decoder.decodeBinary(noType, 0, noType.length)).hasMessageContaining("no Type");
        byte[] format1 = StructMessages.encode("flow", "store", "u", 200, 1, OBJ);
        assertThatThrownBy(() -> decoder.decodeBinary(format1, 0, format1.length)).hasMessageContaining("Format 1");
        byte[] badObj = StructMessages.encode("flow", "store", "u", 200, 0, "{oops".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> decoder.decodeBinary(badObj, 0, badObj.length)).hasMessageContaining("not JSON");
        byte[] group = {(byte) (7 << 3 | 3)};
        assertThatThrownBy(() -> decoder.decodeBinary(group, 0, 1)).hasMessageContaining("wire type 3");
    }
}
