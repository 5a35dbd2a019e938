package io.caravan.skydive.store;

import io.caravan.skydive.write.ObjectWriter;
import io.caravan.skydive.write.StoredObject;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A writer for store tests: keeps what it is given, or fails while told to. */
final class MemoryWriter implements ObjectWriter {
    final List<StoredObject> written = new CopyOnWriteArrayList<>();
    final List<String> attemptedKeys = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();
    volatile boolean failing;

    @Override
    public void write(StoredObject object) throws IOException {
        attempts.incrementAndGet();
        attemptedKeys.add(object.key());
        if (failing) {
            throw new IOException("object store down");
        }
        written.add(object);
    }

    @Override
    public String describe() {
        return "memory";
    }
}
