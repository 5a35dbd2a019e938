package io.caravan.server.cli;

import io.caravan.server.reload.RouteFileParser;
import java.io.PrintWriter;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every command answers what it cannot do: one line on stderr, never a stack trace. Bad
 * input (an unknown command or option, a bad or missing value, a missing file: any
 * {@link ParameterException}, also one a command throws itself, and any
 * {@link IllegalArgumentException}) says what is wrong and what is allowed, and exits
 * {@value #USAGE}; any other failure says what failed and exits {@value #FAILED}.
 */
final class CliErrors implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {
    /** Exit code of bad input. */
    static final int USAGE = 2;
    /** Exit code of a command that failed for another reason. */
    static final int FAILED = 1;

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        print(cmd, describe(ex));
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        if (ex instanceof ParameterException pe) {
            return handleParseException(pe, new String[0]);
        }
        boolean badInput = ex instanceof IllegalArgumentException;
        print(cmd, RouteFileParser.describe(ex) + (badInput ? "; " + usage(cmd) : ""));
        return badInput ? USAGE : FAILED;
    }

    private static void print(CommandLine cmd, String message) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + oneLine(message));
        err.flush();
    }

    /** What is wrong, then what is allowed. */
    static String describe(ParameterException ex) {
        CommandLine cmd = ex.getCommandLine();
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (!arg.startsWith("-") && !cmd.getSubcommands().isEmpty()) {
                return "unknown command '" + arg + "'; commands: " + String.join(", ", cmd.getSubcommands().keySet());
            }
            if (arg.startsWith("-")) {
                return "unknown option '" + arg + "'; options: " + options(cmd.getCommandSpec());
            }
            return "unexpected argument '" + arg + "'; " + usage(cmd);
        }
        return ex.getMessage() + "; " + usage(cmd);
    }

    private static String options(CommandSpec spec) {
        return spec.options().stream().filter(o -> !o.hidden()).map(CliErrors::names).collect(Collectors.joining(", "));
    }

    private static String names(OptionSpec o) {
        return String.join("/", o.names());
    }

    static String usage(CommandLine cmd) {
        return "usage: " + oneLine(cmd.getHelp().synopsis(0)) + " (see " + cmd.getCommandSpec().qualifiedName() + " --help)";
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }
}
