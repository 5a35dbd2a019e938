package io.caravan.server.cli;

import io.caravan.server.Version;
import io.caravan.server.config.CaravanConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code caravan} command. Without a subcommand it runs the server. Bad input gets one line on
 * stderr and exit 2 ({@link CliErrors}); the offline commands print only their result.
 */
@Command(name = "caravan", mixinStandardHelpOptions = true, versionProvider = Caravan.VersionProvider.class,
        description = "Caravan: a plugin-based Apache Camel server for network flow data.",
        subcommands = {RunCommand.class, ValidateCommand.class, PluginsCommand.class, GenerateCommand.class,
                AnalyzerCommand.class, CommandLine.HelpCommand.class})
public final class Caravan implements Callable<Integer> {
    /** Commands that run no server: their output is their result, without INFO log lines. */
    private static final Set<String> OFFLINE = Set.of("validate", "plugins", "generate");

    @Spec
    CommandSpec spec;

    @Option(names = "--home", description = "Install directory (default: the launcher's, else the working directory).")
    Path home;

    @Option(names = "--config", description = "Properties file (default: <home>/config/caravan.properties).")
    Path configFile;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@code bin/caravan} runs it: error handlers and offline quiet included. */
    static CommandLine commandLine() {
        CliErrors errors = new CliErrors();
        // generate words its argument errors itself (with the option's own limits), the rest goes to CliErrors.
        return GenerateCommand.oneLineErrors(new CommandLine(new Caravan()).setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(errors).setExecutionExceptionHandler(errors)
                .setExecutionStrategy(Caravan::execute));
    }

    private static int execute(ParseResult parsed) {
        ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        if (OFFLINE.contains(last.commandSpec().name())) {
            QuietLogging.belowWarnOff();
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    @Override
    public Integer call() throws Exception {
        return new RunCommand().run(this);
    }

    CaravanConfig config() throws java.io.IOException {
        if (home != null && !Files.isDirectory(home)) {
            throw new ParameterException(spec.commandLine(), "--home " + home + ": no such directory"
                    + " (give the install directory, the one holding config/, routes/ and plugins/)");
        }
        if (configFile != null && !Files.isRegularFile(configFile)) {
            throw new ParameterException(spec.commandLine(), "--config " + configFile + ": no such file"
                    + " (give a properties file, or leave it out for <home>/config/caravan.properties)");
        }
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
