package io.caravan.server.cli;

import io.caravan.server.Version;
import io.caravan.server.config.CaravanConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code caravan} command. Without a subcommand it runs the server. */
@Command(name = "caravan", mixinStandardHelpOptions = true, versionProvider = Caravan.VersionProvider.class,
        description = "Caravan: a plugin-based Apache Camel server for network flow data.",
        subcommands = {RunCommand.class, ValidateCommand.class, PluginsCommand.class, GenerateCommand.class,
                CommandLine.HelpCommand.class})
public final class Caravan implements Callable<Integer> {

    @Option(names = "--home", description = "Install directory (default: the launcher's, else the working directory).")
    Path home;

    @Option(names = "--config", description = "Properties file (default: <home>/config/caravan.properties).")
    Path configFile;

    public static void main(String[] args) {
        int code = GenerateCommand.oneLineErrors(new CommandLine(new Caravan()).setCaseInsensitiveEnumValuesAllowed(true)).execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        return new RunCommand().run(this);
    }

    CaravanConfig config() throws java.io.IOException {
        Path h = home != null ? home : Path.of(System.getProperty(CaravanConfig.HOME_KEY, System.getProperty("user.dir")));
        return CaravanConfig.load(h, configFile, System.getenv(), System.getProperties());
    }

    /** Reads the version the build wrote into the jar. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"caravan " + Version.get(), "Apache Camel 4.17.0, PF4J 3.13.0, Java " + System.getProperty("java.version")};
        }
    }
}
