package io.caravan.skydive.write;

import java.io.PrintStream;

/**
 * {@code write stdout}: prints {@code --- <bucket>/<key> ---}, then the content and a newline, as
 * the exporter's stdout writer. Compressed content is printed as is (binary), so use it with
 * {@code compress=none}.
 */
public final class StdoutWriter implements ObjectWriter {
    private final PrintStream out;

    public StdoutWriter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void write(StoredObject object) {
        synchronized (out) {
            out.print("--- " + object.bucket() + "/" + object.key() + " ---\n");
            out.write(object.data(), 0, object.data().length);
            out.print("\n");
            out.flush();
        }
        if (out.checkError()) {
            throw new IllegalStateException("standard output is closed or failing");
        }
    }

    @Override
    public String describe() {
        return "stdout";
    }
}
