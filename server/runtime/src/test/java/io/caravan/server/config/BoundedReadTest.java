package io.caravan.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedReadTest {
    @TempDir
    Path dir;

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** 100 MB of zeros that exist only as they are read, like a file that grows while it is read. */
    private static InputStream endless() {
        return new InputStream() {
            private long left = 100L << 20;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
            }
        };
    }

    @Test
    void aStreamOverTheLimitIsCutOffAtTheLimit() {
        long before = allocatedByThisThread();

        assertThatThrownBy(() -> BoundedRead.readAll(endless(), 1 << 20, "routes/grows.yaml", "route file",
                Setting.ROUTES_MAX_FILE_BYTES))
                .isInstanceOf(BoundedRead.TooLargeException.class)
                .hasMessage("routes/grows.yaml: more than 1048576 bytes is over the route file limit of 1048576 bytes"
                        + " (caravan.routes.max.file.bytes)");
        assertThat(allocatedByThisThread() - before).isLessThan(8L << 20);
    }

    @Test
    void aStreamUpToTheLimitIsReadWhole() throws Exception {
        byte[] bytes = BoundedRead.readAll(new ByteArrayInputStream(new byte[1000]), 1000, "x", "route file",
                Setting.ROUTES_MAX_FILE_BYTES);
        assertThat(bytes).hasSize(1000);
    }

    @Test
    void aConfigFileOverItsLimitIsRefusedAndTheLimitComesFromOutsideIt() throws Exception {
        Path file = dir.resolve("caravan.properties");
        Files.writeString(file, "caravan.http.port=9090\n" + "#".repeat(2000) + "\n");

        assertThatThrownBy(() -> CaravanConfig.load(dir, file, Map.of("CARAVAN_CONFIG_MAX_FILE_BYTES", "1000"), new Properties()))
                .hasMessageContaining("bytes is over the config file limit of 1000 bytes (caravan.config.max.file.bytes");
        Properties system = new Properties();
        system.setProperty("caravan.config.max.file.bytes", "4096");
        CaravanConfig config = CaravanConfig.load(dir, file, Map.of("CARAVAN_CONFIG_MAX_FILE_BYTES", "1000"), system);
        assertThat(config.getInt(Setting.HTTP_PORT)).isEqualTo(9090);
    }
}
