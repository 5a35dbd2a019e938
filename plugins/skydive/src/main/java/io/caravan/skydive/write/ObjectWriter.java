package io.caravan.skydive.write;

/**
 * Puts finished objects somewhere: the exporter's {@code write} step. A write either stores the
 * whole object under its key or throws; the store keeps the records and tries again later, under
 * the same key, so a write that succeeded but reported failure only overwrites.
 */
public interface ObjectWriter extends AutoCloseable {

    /** Gets ready (opens connections); called once before the first write. */
    default void start() throws Exception {
    }

    void write(StoredObject object) throws Exception;

    /** Where objects go, for logs and status (never credentials). */
    String describe();

    @Override
    default void close() throws Exception {
    }
}
