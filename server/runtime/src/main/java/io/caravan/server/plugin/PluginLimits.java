package io.caravan.server.plugin;

import io.caravan.server.config.BoundedRead;
import io.caravan.server.config.CaravanConfig;
import io.caravan.server.config.Setting;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a plugin jar may cost before any of it is trusted: its size on disk, the size every entry
 * declares (the class loader allocates what a class entry declares), and the bytes the entries
 * the host and PF4J read as text (manifest, {@code META-INF/extensions.idx},
 * {@code plugin.properties}, {@code META-INF/services/*}) actually inflate to, counted while
 * inflating: a zip bomb whose header claims a few bytes is stopped at the limit, never read whole.
 *
 * @param maxJarBytes   {@code caravan.plugins.max.jar.bytes}
 * @param maxEntryBytes {@code caravan.plugins.max.entry.bytes}
 */
public record PluginLimits(long maxJarBytes, long maxEntryBytes) {
    static final String MANIFEST = "META-INF/MANIFEST.MF";

    public static PluginLimits from(CaravanConfig config) {
        return new PluginLimits(config.getLong(Setting.PLUGINS_MAX_JAR_BYTES), config.getLong(Setting.PLUGINS_MAX_ENTRY_BYTES));
    }

    public static PluginLimits defaults() {
        return new PluginLimits(Long.parseLong(Setting.PLUGINS_MAX_JAR_BYTES.defaultValue()),
                Long.parseLong(Setting.PLUGINS_MAX_ENTRY_BYTES.defaultValue()));
    }

    /** True for the entries read as a whole by the host or PF4J, whose inflated bytes are counted. */
    static boolean readWhole(String entry) {
        String n = entry.toUpperCase(Locale.ROOT);
        return n.equals(MANIFEST) || n.equals("META-INF/EXTENSIONS.IDX") || n.equals("PLUGIN.PROPERTIES")
                || n.startsWith("META-INF/SERVICES/");
    }

    /**
     * Checks the jar against the limits and returns its manifest (null when it has none).
     *
     * @param name the jar's name for messages (the operator's file, also when checking a staged copy)
     * @throws PluginLoadException naming the jar, the size and the setting that raises the limit
     */
    Manifest check(Path jar, String name) throws PluginLoadException {
        try {
            long size = Files.size(jar);
            if (size > maxJarBytes) {
                throw new PluginLoadException(BoundedRead.overLimit(name, size + " bytes", "plugin jar", maxJarBytes,
                        Setting.PLUGINS_MAX_JAR_BYTES));
            }
            Manifest manifest = null;
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                    ZipEntry e = en.nextElement();
                    if (e.getSize() > maxJarBytes) {
                        throw new PluginLoadException(BoundedRead.overLimit(name + "!/" + e.getName(),
                                "a declared " + e.getSize() + " bytes", "plugin jar", maxJarBytes, Setting.PLUGINS_MAX_JAR_BYTES));
                    }
                    if (readWhole(e.getName())) {
                        byte[] bytes = BoundedRead.readAll(zip.getInputStream(e), maxEntryBytes, name + "!/" + e.getName(),
                                "plugin jar entry", Setting.PLUGINS_MAX_ENTRY_BYTES);
                        if (e.getName().equalsIgnoreCase(MANIFEST)) {
                            manifest = new Manifest(new ByteArrayInputStream(bytes));
                        }
                    }
                }
            }
            return manifest;
        } catch (BoundedRead.TooLargeException e) {
            throw new PluginLoadException(e.getMessage(), e);
        } catch (IOException e) {
            throw new PluginLoadException(name + ": not a readable jar (" + e.getMessage() + ")", e);
        }
    }
}
