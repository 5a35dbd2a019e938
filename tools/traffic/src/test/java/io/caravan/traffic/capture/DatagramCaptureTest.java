package io.caravan.traffic.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatagramCaptureTest {
    @TempDir
    Path dir;

    @Test
    void lengthPrefixedInOrder() throws IOException {
        Path f = dir.resolve("c.bin");
        DatagramCapture.write(f, List.of(new byte[] {1, 2, 3}, new byte[0], new byte[] {9}));
        byte[] raw = Files.readAllBytes(f);
        assertThat(raw).containsExactly(0, 0, 0, 3, 1, 2, 3, /* empty */ 0, 0, 0, 0, /* one byte */ 0, 0, 0, 1, 9);
        assertThat(DatagramCapture.read(f)).containsExactly(new byte[] {1, 2, 3}, new byte[0], new byte[] {9});
    }

    @Test
    void aCutOrImplausibleFileIsAnError() {
        assertThatThrownBy(() -> DatagramCapture.read(new ByteArrayInputStream(new byte[] {0, 0, 0, 5, 1, 2})))
                .hasMessageContaining("datagram 0 is cut short: 5 bytes declared");
        assertThatThrownBy(() -> DatagramCapture.read(new ByteArrayInputStream(new byte[] {0, 0, 0, 1, 7, 0, 1})))
                .hasMessageContaining("datagram 1 is cut short");
        assertThatThrownBy(() -> DatagramCapture.read(new ByteArrayInputStream(new byte[] {(byte) 0xA1, (byte) 0xB2, 0, 0})))
                .hasMessageContaining("not a datagram capture");
    }

    @Test
    void pcapFramesCarryTheDatagramsToThePort() throws IOException {
        Path f = dir.resolve("c.pcap");
        DatagramCapture.toPcap(List.of(new byte[] {0, 10, 0, 16}), 4739, 1_000_000L, 1000, f);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f));
        int frame = 24 + 16;
        assertThat(b.getInt(24 + 8)).isEqualTo(Integer.reverseBytes(14 + 20 + 8 + 4)); // incl_len, little endian
        assertThat(b.getShort(frame + 14 + 20 + 2)).isEqualTo((short) 4739);          // UDP destination port
        assertThat(b.getInt(frame + 14 + 20 + 8)).isEqualTo(0x000A0010);               // the datagram
    }
}
