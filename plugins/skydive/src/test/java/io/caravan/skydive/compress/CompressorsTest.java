package io.caravan.skydive.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class CompressorsTest {

    @Test
    void gzipIsOneMemberWithItsEncodingAndSuffix() throws Exception {
        byte[] data = "{\"data\":[]}".repeat(100).getBytes();
        Compressor gz = CompressType.GZIP.create();

        byte[] out = gz.compress(data);

        assertThat(out.length).isLessThan(data.length);
        assertThat(new GZIPInputStream(new ByteArrayInputStream(out)).readAllBytes()).isEqualTo(data);
        assertThat(gz.contentEncoding()).isEqualTo("gzip");
        assertThat(gz.suffix()).isEqualTo(".gz");
    }

    @Test
    void noneLeavesTheBytesAndSaysNoEncoding() {
        byte[] data = {1, 2, 3};
        Compressor none = CompressType.NONE.create();

        assertThat(none.compress(data)).isSameAs(data);
        assertThat(none.contentEncoding()).isNull();
        assertThat(none.suffix()).isEmpty();
    }
}
