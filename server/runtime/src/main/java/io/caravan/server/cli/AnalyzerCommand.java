package io.caravan.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code caravan analyzer}: a Skydive analyzer stand-in that publishes flows, for trying the
 * skydive routes without a Skydive deployment. Like {@code generate}, it lives in the traffic tool
 * ({@code tools/caravan-traffic.jar}, which {@code bin/caravan} puts on this command's class path
 * alone); {@link AnalyzerRun} is the only class here that names the tool's types.
 */
@Command(name = "analyzer", mixinStandardHelpOptions = true,
        description = "Serve a Skydive analyzer stand-in on 127.0.0.1 that publishes flows (each seen STARTED,"
                + " UPDATED, ENDED), for trying routes/skydive-secadvisor.yaml.")
final class AnalyzerCommand implements Callable<Integer> {
    /** A class of the stand-in, looked up before anything else touches the tool. */
    static final String TOOL_CLASS = "io.caravan.traffic.skydive.AnalyzerDemo";

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8082", description = "Port to serve (Skydive's analyzer uses 8082).")
    int port;

    @Option(names = "--flows-per-second", defaultValue = "20", description = "New flows a second (1-100000); each"
            + " is sent three times.")
    int flowsPerSecond;

    @Option(names = "--username", defaultValue = "", description = "A user the stand-in asks for; empty: none.")
    String username;

    @Option(names = "--password", defaultValue = "", description = "That user's password.")
    String password;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (!toolInstalled()) {
            err.println("caravan analyzer: the traffic tool (tools/caravan-traffic.jar) is not on the class path;"
                    + " run it through bin/caravan, which adds it");
            err.flush();
            return GenerateCommand.NO_TOOL;
        }
        if (port < 0 || port > 65535 || flowsPerSecond < 1 || flowsPerSecond > 100_000) {
            err.println("caravan analyzer: --port takes 0-65535 and --flows-per-second 1-100000");
            err.flush();
            return GenerateCommand.USAGE;
        }
        AnalyzerRun.run(port, flowsPerSecond, username, password, spec.commandLine().getOut());
        return 0;
    }

    private static boolean toolInstalled() {
        try {
            Class.forName(TOOL_CLASS, false, AnalyzerCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
