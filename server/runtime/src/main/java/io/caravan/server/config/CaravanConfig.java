package io.caravan.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The server's settings: built-in defaults, then config/caravan.properties, then environment
 * variables ({@code CARAVAN_HTTP_PORT} for {@code caravan.http.port}), then system properties
 * ({@code -Dcaravan.http.port=...}); the later wins. Keys under {@code camel.} pass through to
 * Camel Main. Relative paths resolve against the install directory ({@code caravan.home}).
 */
public final class CaravanConfig {
    public static final String HOME_KEY = "caravan.home";

    private final Path home;
    private final Map<String, String> values;

    private CaravanConfig(Path home, Map<String, String> values) {
        this.home = home;
        this.values = values;
    }

    /**
     * Loads the configuration.
     *
     * @param home       the install directory
     * @param configFile the properties file, or null for {@code <home>/config/caravan.properties}; a missing default file is fine
     */
    public static CaravanConfig load(Path home, Path configFile, Map<String, String> env, Properties system) throws IOException {
        Map<String, String> v = new TreeMap<>();
        for (Setting s : Setting.ALL) {
            v.put(s.key(), s.defaultValue());
        }
        Path file = configFile != null ? configFile : home.resolve("config/caravan.properties");
        if (Files.exists(file)) {
            Properties p = new Properties();
            long limit = configLimit(env, system);
            long size = Files.size(file);
            if (size > limit) {
                throw new IOException(file + ": " + size + " bytes is over the config file limit of " + limit + " bytes ("
                        + Setting.CONFIG_MAX_FILE_BYTES.key() + ", settable by environment variable "
                        + Setting.CONFIG_MAX_FILE_BYTES.envName() + " or system property)");
            }
            try (Reader r = new java.io.InputStreamReader(BoundedRead.stream(Files.newInputStream(file), limit, file + " ("
                    + Setting.CONFIG_MAX_FILE_BYTES.key() + ")"), StandardCharsets.UTF_8)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> v.put(k, p.getProperty(k).trim()));
        } else if (configFile != null) {
            throw new IOException("config file not found: " + file);
        }
        for (String key : v.keySet().toArray(new String[0])) {
            String fromEnv = env.get(Setting.envName(key));
            if (fromEnv != null) {
                v.put(key, fromEnv);
            }
        }
        for (String key : system.stringPropertyNames()) {
            if (key.startsWith("caravan.") || key.startsWith("camel.")) {
                v.put(key, system.getProperty(key));
            }
        }
        v.remove(HOME_KEY);
        return new CaravanConfig(home.toAbsolutePath().normalize(), v);
    }

    /** The config file's own limit can only come from outside it. */
    private static long configLimit(Map<String, String> env, Properties system) {
        Setting s = Setting.CONFIG_MAX_FILE_BYTES;
        String raw = system.getProperty(s.key(), env.getOrDefault(s.envName(), s.defaultValue())).trim();
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + s.key() + " must be a number of bytes, got '" + raw + "'");
        }
    }

    public Path home() {
        return home;
    }

    public String get(Setting s) {
        return values.getOrDefault(s.key(), s.defaultValue());
    }

    public int getInt(Setting s) {
        String raw = get(s);
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + s.key() + " must be an integer, got '" + raw + "'");
        }
    }

    public long getLong(Setting s) {
        String raw = get(s);
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + s.key() + " must be an integer, got '" + raw + "'");
        }
    }

    public boolean getBoolean(Setting s) {
        String raw = get(s).trim();
        if (!raw.equals("true") && !raw.equals("false")) {
            throw new IllegalArgumentException("setting " + s.key() + " must be true or false, got '" + raw + "'");
        }
        return Boolean.parseBoolean(raw);
    }

    public Duration getMillis(Setting s) {
        return Duration.ofMillis(getInt(s));
    }

    /** A path setting resolved against the install directory. */
    public Path path(Setting s) {
        return home.resolve(get(s)).toAbsolutePath().normalize();
    }

    /**
     * Everything Camel sees as properties (route placeholders such as {{caravan.data.dir}} and
     * camel.* Main options), with path settings made absolute.
     */
    public Properties camelProperties() {
        Properties p = new Properties();
        values.forEach(p::setProperty);
        p.setProperty(Setting.ROUTES_DIR.key(), path(Setting.ROUTES_DIR).toString());
        p.setProperty(Setting.PLUGINS_DIR.key(), path(Setting.PLUGINS_DIR).toString());
        p.setProperty(Setting.DATA_DIR.key(), path(Setting.DATA_DIR).toString());
        p.setProperty(HOME_KEY, home.toString());
        p.remove(Setting.ADMIN_TOKEN.key());
        return p;
    }
}
