package io.caravan.server.config;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads what an operator or a stranger put on disk without trusting its size: the file's length
 * is checked first, and then the bytes actually read are counted (a file may grow while it is
 * read, a zip entry may inflate to more than its header says). Over the limit, one
 * {@link TooLargeException} names the file, the size and the setting that raises the limit.
 */
public final class BoundedRead {

    /** A file or entry over its limit; the message is for operators. */
    public static final class TooLargeException extends IOException {
        public TooLargeException(String message) {
            super(message);
        }
    }

    private BoundedRead() {
    }

    /** "routes/big.yaml: 104857600 bytes is over the route file limit of 1048576 bytes (caravan.routes.max.file.bytes)". */
    public static String overLimit(String what, String size, String kind, long limit, Setting key) {
        return what + ": " + size + " is over the " + kind + " limit of " + limit + " bytes (" + key.key() + ")";
    }

    /** A file's text, refused when it is or grows over {@code limit} bytes. */
    public static String readFile(Path file, long limit, String kind, Setting key) throws IOException {
        String name = file.getFileName().toString();
        long size = Files.size(file);
        if (size > limit) {
            throw new TooLargeException(overLimit(name, size + " bytes", kind, limit, key));
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new String(readAll(in, limit, name, kind, key), StandardCharsets.UTF_8);
        }
    }

    /** Every byte of the stream, refused once more than {@code limit} have been read. */
    public static byte[] readAll(InputStream in, long limit, String what, String kind, Setting key) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(limit, 8192));
        try (InputStream bounded = stream(in, limit, () -> overLimit(what, "more than " + limit + " bytes", kind, limit, key))) {
            bounded.transferTo(out);
        }
        return out.toByteArray();
    }

    /** A stream that fails once more than {@code limit} bytes have come through it. */
    public static InputStream stream(InputStream in, long limit, String what) {
        return stream(in, limit, () -> what + ": more than " + limit + " bytes");
    }

    private static InputStream stream(InputStream in, long limit, java.util.function.Supplier<String> message) {
        return new FilterInputStream(in) {
            private long count;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, (int) Math.min(len, limit - count + 1));
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(Math.min(n, limit - count + 1));
                count(skipped);
                return skipped;
            }

            private void count(long n) throws TooLargeException {
                count += n;
                if (count > limit) {
                    throw new TooLargeException(message.get());
                }
            }
        };
    }
}
