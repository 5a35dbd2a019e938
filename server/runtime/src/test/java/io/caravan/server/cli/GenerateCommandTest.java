package io.caravan.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.traffic.generate.Protocol;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code caravan generate} as the launcher runs it: every bad argument is one line on stderr and exit 2. */
class GenerateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int generate(String... args) {
        CommandLine cl = GenerateCommand.oneLineErrors(new CommandLine(new Caravan()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("generate"));
        all.addAll(List.of(args));
        return cl.execute(all.toArray(String[]::new));
    }

    @Test
    void withoutRecordsEveryProtocolSendsWhatFitsOnePacket() throws Exception {
        try (DatagramSocket rx = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int code = generate("-p", "sflow", "-t", "127.0.0.1:" + rx.getLocalPort(), "-r", "0", "-n", "1");
            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString()).startsWith("sent 1 datagrams (5 records)");
        }
    }

    @Test
    void tooManyRecordsForIpfixSaysTheLimitAndWhy() {
        assertThat(generate("-p", "ipfix", "--records", "30")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("caravan generate: --records must be 1 to 18 for ipfix "
                + "(a datagram within one 1500-byte packet); got 30" + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-p ipfix --records 0                | --records must be 1 to 18 for ipfix",
            "-p sflow --records 6                | --records must be 1 to 5 for sflow",
            "-p netflow-v5 --records 31          | --records must be 1 to 30 for netflow-v5",
            "-p netflow                          | --protocol must be one of netflow-v5, netflow-v9, ipfix, sflow; got 'netflow'",
            "-p ipfix -r -1                      | --rate must be 0 (as fast as possible) or more datagrams per second; got -1",
            "-p ipfix -n -5                      | --count must be 0 or more datagrams; got -5",
            "-p ipfix -e 0                       | --exporters must be 1 to 250; got 0",
            "-p ipfix -e 251                     | --exporters must be 1 to 250; got 251",
            "-p ipfix -t 127.0.0.1:70000         | --target port must be 1 to 65535; got '70000'",
            "-p ipfix -t 127.0.0.1:ipfix         | --target port must be 1 to 65535; got 'ipfix'",
            "-p ipfix -t :4739                   | --target must name a host",
            "-p ipfix -t [::1                    | --target must be host[:port] or [IPv6]:port",
            "-p ipfix -r fast                    | Invalid value for option '--rate': 'fast' is not a long (--rate: Datagrams per second",
            "-p ipfix --records                  | Missing required parameter for option '--records' (<records>) (--records: Flow records",
            "--records 5                         | Missing required option: '--protocol=<protocol>' (--protocol: netflow-v5, netflow-v9, ipfix or sflow.)",
            "-p ipfix --burst 5                  | Unknown options: '--burst', '5'; see caravan generate --help",
    })
    void everyBadArgumentIsOneLineOnStderrAndExitTwo(String args, String expected) {
        int code = generate(args.trim().split("\\s+"));
        assertThat(code).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).startsWith("caravan generate: " + expected.trim()).endsWith(System.lineSeparator());
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void theProtocolHelpNamesWhatTheToolSends() {
        CommandLine generate = new CommandLine(new Caravan()).getSubcommands().get("generate");
        String doc = String.join(" ", generate.getCommandSpec().findOption("--protocol").description());
        assertThat(doc).isEqualTo(Protocol.names().replace(", sflow", " or sflow") + ".");
    }

    @Test
    void sendsWhatItSaysToAnIpv6LiteralWithPort() throws Exception {
        try (DatagramSocket rx = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            rx.setSoTimeout(10_000);
            int code = generate("-p", "netflow-v5", "-t", "[::1]:" + rx.getLocalPort(), "-r", "0", "-n", "3", "--records", "2");
            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString()).startsWith("sent 3 datagrams (6 records) to 0:0:0:0:0:0:0:1:" + rx.getLocalPort());
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            rx.receive(p);
            assertThat(p.getLength()).isEqualTo(24 + 2 * 48); // a NetFlow v5 header and two records
        }
    }

    @Test
    void otherCommandsKeepPicocliHandling() {
        CommandLine cl = GenerateCommand.oneLineErrors(new CommandLine(new Caravan()));
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("validate", "--nosuch")).isEqualTo(2);
        assertThat(err.toString()).doesNotStartWith("caravan generate:").contains("Unknown option");
    }
}
