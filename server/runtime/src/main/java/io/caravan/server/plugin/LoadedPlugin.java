package io.caravan.server.plugin;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A plugin the host has loaded and started.
 *
 * @param source the jar in the plugins directory
 * @param staged the private copy the class loader reads (so the operator may overwrite or delete the source)
 */
public record LoadedPlugin(String id, String version, String description, Path source, Path staged,
                           ClassLoader classLoader, Contributions contributions, Instant loadedAt) {
}
