package io.caravan.server.cli;

import io.caravan.traffic.generate.GeneratorPlan;
import io.caravan.traffic.generate.GeneratorResult;
import io.caravan.traffic.generate.Protocol;
import io.caravan.traffic.generate.TrafficGenerator;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code caravan generate}: sends NetFlow v5/v9, IPFIX or sFlow test traffic at a given rate. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Send flow datagrams (NetFlow v5/v9, IPFIX, sFlow) at a steady rate, for demos, soak tests and benchmarks.")
final class GenerateCommand implements Callable<Integer> {
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

    @Option(names = "--records", defaultValue = "10", description = "Flow records (sFlow: samples) per datagram.")
    int records;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for flow contents (same seed, same bytes).")
    long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Protocol p = Protocol.valueOf(protocol.toUpperCase(Locale.ROOT).replace('-', '_'));
        String host = target;
        int port = p.defaultPort();
        int colon = target.lastIndexOf(':');
        if (colon > 0 && target.indexOf(':') == colon) {
            host = target.substring(0, colon);
            port = Integer.parseInt(target.substring(colon + 1));
        }
        GeneratorPlan plan = new GeneratorPlan(p, new InetSocketAddress(InetAddress.getByName(host), port), rate, count,
                exporters, records, seed);
        GeneratorResult r = new TrafficGenerator().run(plan);
        out.printf(Locale.ROOT, "sent %d datagrams (%d records) to %s:%d in %.3f s: %.0f datagrams/s%n", r.datagrams(),
                r.records(), host, port, r.elapsedNs() / 1e9, r.datagramsPerSecond());
        if (r.refused() > 0) {
            out.printf(Locale.ROOT, "%d datagrams not sent: %s:%d refused them (nothing listening there)%n", r.refused(),
                    host, port);
        }
        out.flush();
        return 0;
    }
}
