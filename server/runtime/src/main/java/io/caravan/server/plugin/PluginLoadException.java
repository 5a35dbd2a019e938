package io.caravan.server.plugin;

/** A plugin jar was rejected; the message says which jar and why, in words an operator can act on. */
public class PluginLoadException extends Exception {
    public PluginLoadException(String message) {
        super(message);
    }

    public PluginLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
