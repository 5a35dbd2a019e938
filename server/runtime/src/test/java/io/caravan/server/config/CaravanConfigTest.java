package io.caravan.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaravanConfigTest {
    @TempDir
    Path home;

    private Path configFile(String text) throws IOException {
        Path file = home.resolve("config/caravan.properties");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static Properties system(String key, String value) {
        Properties p = new Properties();
        p.setProperty(key, value);
        return p;
    }

    private CaravanConfig load(Map<String, String> env, Properties system) throws IOException {
        return CaravanConfig.load(home, null, env, system);
    }

    @Test
    void defaultsApplyWithoutAConfigFile() throws IOException {
        CaravanConfig c = load(Map.of(), new Properties());

        for (Setting s : Setting.ALL) {
            assertThat(c.get(s)).as(s.key()).isEqualTo(s.defaultValue());
        }
        assertThat(c.getInt(Setting.HTTP_PORT)).isEqualTo(8080);
        assertThat(c.getBoolean(Setting.RELOAD_ROUTES)).isTrue();
    }

    @Test
    void fileBeatsDefaultEnvironmentBeatsFileSystemPropertyBeatsEnvironment() throws IOException {
        configFile("""
                caravan.http.port=8081
                caravan.http.host=0.0.0.0
                caravan.reload.history=7
                caravan.reload.debounce.ms=1000
                """);
        Map<String, String> env = Map.of("CARAVAN_HTTP_HOST", "10.0.0.1", "CARAVAN_RELOAD_HISTORY", "8",
                "CARAVAN_RELOAD_DEBOUNCE_MS", "50");
        Properties system = system("caravan.reload.debounce.ms", "25");

        CaravanConfig c = load(env, system);

        assertThat(c.getInt(Setting.HTTP_PORT)).as("file over default").isEqualTo(8081);
        assertThat(c.get(Setting.HTTP_HOST)).as("environment over file").isEqualTo("10.0.0.1");
        assertThat(c.getInt(Setting.RELOAD_HISTORY)).as("environment over file").isEqualTo(8);
        assertThat(c.getMillis(Setting.RELOAD_DEBOUNCE_MS)).as("system property over environment")
                .isEqualTo(Duration.ofMillis(25));
        assertThat(c.get(Setting.ROUTES_DIR)).as("untouched default").isEqualTo("routes");
    }

    @Test
    void environmentNamesAreUpperCaseWithUnderscores() throws IOException {
        assertThat(Setting.RELOAD_DEBOUNCE_MS.envName()).isEqualTo("CARAVAN_RELOAD_DEBOUNCE_MS");
        assertThat(Setting.envName("camel.component.netty.maximum-pool-size"))
                .isEqualTo("CAMEL_COMPONENT_NETTY_MAXIMUM_POOL_SIZE");

        CaravanConfig c = load(Map.of("CARAVAN_RELOAD_DEBOUNCE_MS", "75", "caravan.reload.debounce.ms", "999"),
                new Properties());

        assertThat(c.getMillis(Setting.RELOAD_DEBOUNCE_MS)).isEqualTo(Duration.ofMillis(75));
    }

    @Test
    void environmentOverridesCamelKeysTheFileSets() throws IOException {
        configFile("camel.main.streamCachingEnabled=true\n");

        CaravanConfig c = load(Map.of("CAMEL_MAIN_STREAMCACHINGENABLED", "false"), new Properties());

        assertThat(c.camelProperties().getProperty("camel.main.streamCachingEnabled")).isEqualTo("false");
    }

    @Test
    void onlyCaravanAndCamelSystemPropertiesAreTaken() throws IOException {
        Properties system = new Properties();
        system.setProperty("caravan.http.port", "9090");
        system.setProperty("camel.main.name", "edge");
        system.setProperty("java.io.tmpdir", "/nowhere");

        Properties camel = load(Map.of(), system).camelProperties();

        assertThat(camel.getProperty("caravan.http.port")).isEqualTo("9090");
        assertThat(camel.getProperty("camel.main.name")).isEqualTo("edge");
        assertThat(camel.getProperty("java.io.tmpdir")).isNull();
    }

    @Test
    void relativePathsResolveAgainstHomeAndAbsoluteOnesStay() throws IOException {
        Path elsewhere = home.resolveSibling("elsewhere-data").toAbsolutePath();
        configFile("caravan.routes.dir=conf/../my-routes\ncaravan.data.dir=" + elsewhere.toString().replace('\\', '/') + "\n");

        CaravanConfig c = CaravanConfig.load(home, null, Map.of(), new Properties());

        assertThat(c.path(Setting.ROUTES_DIR)).isEqualTo(home.resolve("my-routes").toAbsolutePath());
        assertThat(c.path(Setting.PLUGINS_DIR)).isEqualTo(home.resolve("plugins").toAbsolutePath());
        assertThat(c.path(Setting.DATA_DIR)).isEqualTo(elsewhere);
        Properties camel = c.camelProperties();
        assertThat(camel.getProperty("caravan.routes.dir")).isEqualTo(home.resolve("my-routes").toAbsolutePath().toString());
        assertThat(camel.getProperty(CaravanConfig.HOME_KEY)).isEqualTo(home.toAbsolutePath().toString());
    }

    @Test
    void homeCannotBeOverriddenBySettings() throws IOException {
        CaravanConfig c = load(Map.of(), system(CaravanConfig.HOME_KEY, "/somewhere/else"));

        assertThat(c.home()).isEqualTo(home.toAbsolutePath().normalize());
        assertThat(c.camelProperties().getProperty(CaravanConfig.HOME_KEY)).isEqualTo(home.toAbsolutePath().toString());
    }

    @Test
    void theAdminTokenIsNotExposedToRoutes() throws IOException {
        CaravanConfig c = load(Map.of("CARAVAN_ADMIN_TOKEN", "s3cret"), new Properties());

        assertThat(c.get(Setting.ADMIN_TOKEN)).isEqualTo("s3cret");
        assertThat(c.camelProperties()).doesNotContainKey(Setting.ADMIN_TOKEN.key());
    }

    @Test
    void badIntegerNamesTheKeyAndTheValue() throws IOException {
        configFile("caravan.http.port=eighty\n");
        CaravanConfig c = load(Map.of(), new Properties());

        assertThatThrownBy(() -> c.getInt(Setting.HTTP_PORT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("setting caravan.http.port must be an integer, got 'eighty'");
    }

    @Test
    void badBooleanNamesTheKeyAndTheValue() throws IOException {
        CaravanConfig c = load(Map.of("CARAVAN_RELOAD_ROUTES", "yes"), new Properties());

        assertThatThrownBy(() -> c.getBoolean(Setting.RELOAD_ROUTES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("setting caravan.reload.routes must be true or false, got 'yes'");
    }

    @Test
    void anExplicitConfigFileMustExist() {
        Path missing = home.resolve("nope.properties");

        assertThatThrownBy(() -> CaravanConfig.load(home, missing, Map.of(), new Properties()))
                .isInstanceOf(IOException.class)
                .hasMessage("config file not found: " + missing);
    }

    @Test
    void anExplicitConfigFileReplacesTheDefaultOne() throws IOException {
        configFile("caravan.http.port=8081\n");
        Path other = Files.writeString(home.resolve("other.properties"), "caravan.http.port=8082\n");

        CaravanConfig c = CaravanConfig.load(home, other, Map.of(), new Properties());

        assertThat(c.getInt(Setting.HTTP_PORT)).isEqualTo(8082);
    }
}
