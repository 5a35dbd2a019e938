package io.caravan.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code caravan generate}: sends NetFlow v5/v9, IPFIX or sFlow test traffic at a given rate.
 *
 * <p>The generator is a tool, not part of the server: {@code tools/caravan-traffic.jar}, which
 * {@code bin/caravan} puts on the class path of this command alone. This class names none of the
 * tool's types, so every other command (and {@code --help}) works without it; {@link Generation}
 * does the work. Every bad argument is answered with one line on stderr, exit {@value #USAGE}.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Send flow datagrams (NetFlow v5/v9, IPFIX, sFlow) at a steady rate, for demos, soak tests and benchmarks.")
final class GenerateCommand implements Callable<Integer> {
    /** Exit code of a bad argument. */
    static final int USAGE = 2;
    /** Exit code when the traffic tool is not on the class path. */
    static final int NO_TOOL = 1;
    /** A class of the traffic tool, looked up before anything else touches the tool. */
    static final String TOOL_CLASS = "io.caravan.traffic.generate.TrafficGenerator";

    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--protocol"}, required = true,
            description = "netflow-v5, netflow-v9, ipfix or sflow.")
    String protocol;

    @Option(names = {"-t", "--target"}, defaultValue = "127.0.0.1",
            description = "host[:port] to send to (default port: 2055 NetFlow, 4739 IPFIX, 6343 sFlow).")
    String target;

    @Option(names = {"-r", "--rate"}, defaultValue = "1000", description = "Datagrams per second, all exporters together; 0 = as fast as possible.")
    long rate;

    @Option(names = {"-n", "--count"}, defaultValue = "10000", description = "Datagrams to send.")
    long count;

    @Option(names = {"-e", "--exporters"}, defaultValue = "1",
            description = "Distinct exporters (1-250); on loopback each sends from its own 127.0.0.N address.")
    int exporters;

    @Option(names = "--records",
            description = "Flow records (sFlow: samples) per datagram, at most what fits one unfragmented 1500-byte packet"
                    + " (default 10, or the protocol's most if smaller: sFlow 5).")
    Integer records;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for flow contents (same seed, same bytes).")
    long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (!toolInstalled()) {
            err.println("caravan generate: the traffic tool (tools/caravan-traffic.jar) is not on the class path;"
                    + " run generate through bin/caravan, which adds it");
            err.flush();
            return NO_TOOL;
        }
        try {
            return Generation.run(this, spec.commandLine().getOut());
        } catch (BadArgument e) {
            err.println("caravan generate: " + e.getMessage());
            err.flush();
            return USAGE;
        }
    }

    private static boolean toolInstalled() {
        try {
            Class.forName(TOOL_CLASS, false, GenerateCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Makes {@code root} answer a command line that picocli cannot parse for {@code generate}
     * (unknown option, missing value, not a number) with one line saying what is wrong and what
     * the option takes, exit {@value #USAGE}; the other commands keep the handling they had.
     */
    static CommandLine oneLineErrors(CommandLine root) {
        IParameterExceptionHandler others = root.getParameterExceptionHandler();
        root.setParameterExceptionHandler((ex, args) -> {
            if (!(ex.getCommandLine().getCommand() instanceof GenerateCommand)) {
                return others.handleParseException(ex, args);
            }
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("caravan generate: " + describe(ex));
            err.flush();
            return USAGE;
        });
        return root;
    }

    private static String describe(ParameterException ex) {
        String what = ex.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
        ArgSpec arg = ex.getArgSpec();
        if (ex instanceof MissingParameterException missing && !missing.getMissing().isEmpty()) {
            arg = missing.getMissing().get(0);
        }
        if (arg instanceof OptionSpec option) {
            return what + " (" + option.longestName() + ": " + String.join(" ", option.description()) + ")";
        }
        return what + "; see caravan generate --help";
    }

    /** An argument outside what generate accepts; the message says what is allowed. */
    static final class BadArgument extends Exception {
        BadArgument(String message) {
            super(message);
        }
    }
}
