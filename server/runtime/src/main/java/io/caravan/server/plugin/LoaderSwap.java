package io.caravan.server.plugin;

/**
 * Sets the thread context class loader to a plugin's loader for the duration of a call into
 * plugin code, restoring the previous one on close (Kafka Connect's LoaderSwap).
 */
public final class LoaderSwap implements AutoCloseable {
    private final ClassLoader saved;

    private LoaderSwap(ClassLoader loader) {
        Thread t = Thread.currentThread();
        saved = t.getContextClassLoader();
        t.setContextClassLoader(loader);
    }

    public static LoaderSwap to(ClassLoader loader) {
        return new LoaderSwap(loader);
    }

    @Override
    public void close() {
        Thread.currentThread().setContextClassLoader(saved);
    }
}
