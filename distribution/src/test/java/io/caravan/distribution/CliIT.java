package io.caravan.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.testkit.CaravanProcess;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** bin/caravan's offline commands, as an operator's CI would call them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {
    @TempDir
    static Path dir;

    private CaravanProcess caravan;

    @BeforeAll
    void install() throws Exception {
        caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir);
    }

    @Test
    void validateAcceptsTheShippedRoutes() throws Exception {
        CaravanProcess.Result r = caravan.command("validate");
        assertThat(r.exitCode()).as(r.output()).isEqualTo(0);
        assertThat(r.output()).contains("flows-from-json.yaml: OK (1 route: flows-from-json)",
                "collect.yaml: OK (3 routes: collect-netflow, collect-ipfix, collect-sflow)",
                "export-netflow.yaml: OK (0 routes; off, precondition false: export-netflow)",
                "export-kafka.yaml: OK (0 routes; off, precondition false: export-kafka)").containsPattern("\\d+ valid, 0 invalid");
    }

    @Test
    void validatePrintsOnlyItsVerdictNotTheLogOfLoadingPluginsAndStartingCamel() throws Exception {
        // As `bin/caravan validate routes/*.yaml` from the install directory: the shell expands the glob.
        CaravanProcess.Result r = caravan.command("validate", "routes/collect.yaml", "routes/flows-from-json.yaml");
        assertThat(r.exitCode()).as(r.output()).isEqualTo(0);
        Path routes = caravan.routes().toRealPath();
        assertThat(r.output().lines()).containsExactly(
                routes.resolve("collect.yaml") + ": OK (3 routes: collect-netflow, collect-ipfix, collect-sflow)",
                routes.resolve("flows-from-json.yaml") + ": OK (1 route: flows-from-json)",
                "2 valid, 0 invalid");
    }

    @Test
    void badInputGetsOneLineAndExitTwo() throws Exception {
        CaravanProcess.Result command = caravan.command("frobnicate");
        assertThat(command.exitCode()).as(command.output()).isEqualTo(2);
        assertThat(command.output().lines()).containsExactly(
                "caravan: unknown command 'frobnicate'; commands: run, validate, plugins, generate, analyzer, help");

        CaravanProcess.Result option = caravan.command("plugins", "--jsn");
        assertThat(option.exitCode()).as(option.output()).isEqualTo(2);
        assertThat(option.output().lines()).singleElement().asString()
                .startsWith("caravan plugins: unknown option '--jsn'; options: --json");

        CaravanProcess.Result value = caravan.command("generate", "-p", "ipfix", "-r", "fast");
        assertThat(value.exitCode()).as(value.output()).isEqualTo(2);
        assertThat(value.output().lines()).singleElement().asString()
                .startsWith("caravan generate: Invalid value for option '--rate': 'fast'");
    }

    @Test
    void validateReportsEveryBadFileAndExitsOne() throws Exception {
        Path good = Files.writeString(dir.resolve("good.yaml"), """
                - route:
                    id: good
                    from:
                      uri: timer:x
                      steps:
                        - to: {uri: stage:classify, parameters: {internal: "10.0.0.0/8"}}
                """);
        Path syntax = Files.writeString(dir.resolve("syntax.yaml"), "- route:\n    from: [oops\n");
        Path option = Files.writeString(dir.resolve("option.yaml"), """
                - route:
                    id: option
                    from:
                      uri: timer:x
                      steps:
                        - to: stage:encode-json?attributes=maybe
                """);
        Path stage = Files.writeString(dir.resolve("stage.yaml"), """
                - route:
                    id: stage
                    from:
                      uri: timer:x
                      steps:
                        - to: stage:clasify
                """);
        Path component = Files.writeString(dir.resolve("component.yaml"), """
                - route:
                    id: component
                    from:
                      uri: nosuch:thing
                      steps:
                        - to: log:x
                """);
        CaravanProcess.Result r = caravan.command("validate", good.toString(), syntax.toString(), option.toString(),
                stage.toString(), component.toString());
        assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
        assertThat(r.output())
                .contains("good.yaml: OK (1 route: good)")
                .contains("syntax.yaml: ERROR: syntax.yaml: cannot parse")
                .contains("option.yaml: ERROR:", "stage 'encode-json': option 'attributes' expects boolean (true|false); got 'maybe'")
                .contains("stage.yaml: ERROR:", "unknown stage 'clasify'; stages available: classify, decode-json, decode-netflow,")
                .contains("component.yaml: ERROR:", "nosuch")
                .contains("1 valid, 4 invalid");
    }

    @Test
    void validateRefusesAMissingFileAsBadInput() throws Exception {
        CaravanProcess.Result r = caravan.command("validate", dir.resolve("absent.yaml").toString());
        assertThat(r.exitCode()).as(r.output()).isEqualTo(2);
        assertThat(r.output().lines()).singleElement().asString()
                .startsWith("caravan validate: " + dir.resolve("absent.yaml") + ": no such file");
    }

    @Test
    void pluginsListsStagesWithEveryOption() throws Exception {
        CaravanProcess.Result r = caravan.command("plugins");
        assertThat(r.exitCode()).as(r.output()).isEqualTo(0);
        assertThat(r.output()).contains("pipeline 0.1.0-SNAPSHOT (caravan-plugin-pipeline.jar)")
                .containsPattern("stage classify: FlowBatch -> FlowBatch")
                .containsPattern("internal\\s+cidr_list\\s+default 10\\.0\\.0\\.0/8")
                .containsPattern("onError\\s+choice\\s+default fail\\s+allowed fail, skip; ")
                .contains("component flowfile:", "bean flowBatchAggregator:")
                .as("the result only, no log lines").doesNotContain(" INFO ", "Apache Camel");
        CaravanProcess.Result json = caravan.command("plugins", "--json");
        assertThat(json.output()).contains("\"name\" : \"decode-json\"");
    }

    @Test
    void versionAndHelp() throws Exception {
        assertThat(caravan.command("--version").output()).contains("caravan 0.1.0-SNAPSHOT");
        CaravanProcess.Result help = caravan.command("--help");
        assertThat(help.exitCode()).isEqualTo(0);
        assertThat(help.output()).contains("run", "validate", "plugins", "generate");
    }

    @Test
    void generateSendsFromTheZip() throws Exception {
        try (DatagramSocket rx = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            rx.setSoTimeout(10_000);
            CaravanProcess.Result r = caravan.command("--home", caravan.home().toString(), "generate", "-p", "ipfix",
                    "-t", "127.0.0.1:" + rx.getLocalPort(), "-r", "0", "-n", "5", "--records", "3");
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).startsWith("sent 5 datagrams (15 records) to 127.0.0.1:" + rx.getLocalPort());
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            rx.receive(p);
            assertThat(p.getData()[1]).as("IPFIX version 10").isEqualTo((byte) 10);
        }
    }

    @Test
    void generateAnswersABadArgumentWithOneLineAndExitTwo() throws Exception {
        CaravanProcess.Result r = caravan.command("generate", "-p", "ipfix", "--records", "30");
        assertThat(r.exitCode()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).isEqualTo("caravan generate: --records must be 1 to 18 for ipfix "
                + "(a datagram within one 1500-byte packet); got 30\n");
    }

    @Test
    void theServerClassPathHoldsNoTrafficTool() throws Exception {
        Path lib = caravan.home().resolve("lib");
        try (Stream<Path> jars = Files.list(lib)) {
            for (Path jar : jars.toList()) {
                assertThat(jar.getFileName().toString()).doesNotContain("caravan-traffic");
                try (ZipFile z = new ZipFile(jar.toFile())) {
                    assertThat(z.stream().map(e -> e.getName()).filter(n -> n.startsWith("io/caravan/traffic/")))
                            .as("traffic classes in " + jar).isEmpty();
                }
            }
        }
        assertThat(caravan.home().resolve("tools/caravan-traffic.jar")).isRegularFile();
        // The server's own class path, as `bin/caravan run` has it: generate says what is missing.
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", lib + "/*", "io.caravan.server.cli.Caravan", "generate", "-p", "ipfix", "-n", "1"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).isEqualTo("caravan generate: the traffic tool (tools/caravan-traffic.jar) is not on the class path;"
                + " run generate through bin/caravan, which adds it\n");
    }
}
