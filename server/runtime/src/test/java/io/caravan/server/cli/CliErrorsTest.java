package io.caravan.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad input to any command: one line on stderr saying what is wrong and what is allowed, exit 2, nothing on stdout. */
class CliErrorsTest {
    @TempDir
    Path home;

    private record Outcome(int exitCode, String out, String err) {
    }

    private Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Caravan.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    /** Exit 2, stdout empty, stderr exactly one line (so no stack trace), which it returns. */
    private static String oneLineUsageError(Outcome o) {
        assertThat(o.exitCode()).as(o.err()).isEqualTo(2);
        assertThat(o.out()).isEmpty();
        assertThat(o.err()).endsWith(System.lineSeparator());
        String line = o.err().strip();
        assertThat(line).doesNotContain("\n").doesNotContain("\tat ");
        return line;
    }

    @Test
    void anUnknownCommandListsTheCommands() {
        assertThat(oneLineUsageError(run("frobnicate")))
                .isEqualTo("caravan: unknown command 'frobnicate'; commands: run, validate, plugins, generate, analyzer, help");
    }

    @Test
    void anUnknownOptionListsTheCommandsOptions() {
        assertThat(oneLineUsageError(run("plugins", "--jsn")))
                .startsWith("caravan plugins: unknown option '--jsn'")
                .endsWith("; options: --json, -h/--help, -V/--version");
    }

    @Test
    void anUnknownOptionOfTheRootCommandListsItsOptions() {
        assertThat(oneLineUsageError(run("--hom", "x")))
                .startsWith("caravan: unknown option '--hom'").contains("options: --home, --config");
    }

    // generate words its own argument errors (GenerateCommand.oneLineErrors): the option and its doc, not the usage.
    @Test
    void aBadValueNamesTheOptionAndWhatItTakes() {
        assertThat(oneLineUsageError(run("generate", "-p", "ipfix", "-r", "fast")))
                .startsWith("caravan generate: Invalid value for option '--rate': 'fast' is not a long (--rate: ");
    }

    @Test
    void aMissingRequiredOptionIsNamed() {
        assertThat(oneLineUsageError(run("generate")))
                .startsWith("caravan generate: Missing required option: '--protocol=<protocol>' (--protocol: ");
    }

    @Test
    void anUnexpectedArgumentShowsTheUsage() {
        assertThat(oneLineUsageError(run("--home", home.toString(), "plugins", "extra")))
                .startsWith("caravan plugins: unexpected argument 'extra'; usage: caravan plugins [-hV] [--json]");
    }

    @Test
    void aRouteFileThatDoesNotExistIsBadInput() {
        Path absent = home.resolve("absent.yaml");
        assertThat(oneLineUsageError(run("--home", home.toString(), "validate", absent.toString())))
                .startsWith("caravan validate: " + absent + ": no such file (give route files to check, or none for every"
                        + " file in routes/); usage: caravan validate");
    }

    @Test
    void aConfigFileOrHomeThatDoesNotExistIsBadInput() throws Exception {
        assertThat(oneLineUsageError(run("--config", home.resolve("nope.properties").toString(), "plugins")))
                .startsWith("caravan: --config " + home.resolve("nope.properties") + ": no such file");
        Path file = Files.writeString(home.resolve("a-file"), "");
        assertThat(oneLineUsageError(run("--home", file.toString(), "validate")))
                .startsWith("caravan: --home " + file + ": no such directory");
    }

    @Test
    void anIllegalArgumentFromACommandIsBadInputInOneLine() {
        assertThat(oneLineUsageError(run("generate", "-p", "carrier-pigeon", "-n", "1")))
                .isEqualTo("caravan generate: --protocol must be one of netflow-v5, netflow-v9, ipfix, sflow; got 'carrier-pigeon'");
    }

    @Test
    void helpAndVersionStillExitZero() {
        assertThat(run("--help").exitCode()).isZero();
        assertThat(run("validate", "--help").exitCode()).isZero();
        assertThat(run("--version").exitCode()).isZero();
    }
}
