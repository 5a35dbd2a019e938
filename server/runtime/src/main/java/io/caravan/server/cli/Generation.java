package io.caravan.server.cli;

import io.caravan.server.cli.GenerateCommand.BadArgument;
import io.caravan.traffic.generate.GeneratorPlan;
import io.caravan.traffic.generate.GeneratorResult;
import io.caravan.traffic.generate.Protocol;
import io.caravan.traffic.generate.TrafficGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * What {@code caravan generate} does once the traffic tool is on the class path: checks every
 * argument against what the tool accepts, then sends. The only class of the server that names the
 * tool's types, loaded only by {@link GenerateCommand#call} after it found the tool.
 */
final class Generation {
    /** Records per datagram when --records is not given (fewer where the protocol fits fewer). */
    private static final int DEFAULT_RECORDS = 10;
    private Generation() {
    }

    static int run(GenerateCommand c, PrintWriter out) throws BadArgument, IOException {
        Protocol p = Protocol.byName(c.protocol).orElseThrow(() -> new BadArgument(
                "--protocol must be one of " + Protocol.names() + "; got '" + c.protocol + "'"));
        InetSocketAddress target = target(c.target, p.defaultPort());
        if (c.rate < 0) {
            throw new BadArgument("--rate must be 0 (as fast as possible) or more datagrams per second; got " + c.rate);
        }
        if (c.count < 0) {
            throw new BadArgument("--count must be 0 or more datagrams; got " + c.count);
        }
        if (c.exporters < 1 || c.exporters > GeneratorPlan.MAX_EXPORTERS) {
            throw new BadArgument("--exporters must be 1 to " + GeneratorPlan.MAX_EXPORTERS + "; got " + c.exporters);
        }
        int records = c.records == null ? Math.min(DEFAULT_RECORDS, p.maxRecords()) : c.records;
        if (records < 1 || records > p.maxRecords()) {
            throw new BadArgument("--records must be 1 to " + p.maxRecords() + " for " + p.cliName() + " (a datagram within one "
                    + "1500-byte packet); got " + records);
        }
        GeneratorResult r = new TrafficGenerator().run(
                new GeneratorPlan(p, target, c.rate, c.count, c.exporters, records, c.seed));
        String to = target.getAddress().getHostAddress() + ":" + target.getPort();
        out.printf(Locale.ROOT, "sent %d datagrams (%d records) to %s in %.3f s: %.0f datagrams/s%n", r.datagrams(),
                r.records(), to, r.elapsedNs() / 1e9, r.datagramsPerSecond());
        if (r.refused() > 0) {
            out.printf(Locale.ROOT, "%d datagrams not sent: %s refused them (nothing listening there)%n", r.refused(), to);
        }
        out.flush();
        return 0;
    }

    /** host, host:port, or an IPv6 literal (with a port: [literal]:port). */
    static InetSocketAddress target(String text, int defaultPort) throws BadArgument {
        String host = text;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || (close + 1 < text.length() && text.charAt(close + 1) != ':')) {
                throw new BadArgument("--target must be host[:port] or [IPv6]:port; got '" + text + "'");
            }
            host = text.substring(1, close);
            port = close + 1 < text.length() ? text.substring(close + 2) : null;
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = text.substring(text.indexOf(':') + 1);
        }
        if (host.isEmpty()) {
            throw new BadArgument("--target must name a host: host[:port]; got '" + text + "'");
        }
        int portNumber = defaultPort;
        if (port != null) {
            try {
                portNumber = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                portNumber = -1;
            }
            if (portNumber < 1 || portNumber > 65535) {
                throw new BadArgument("--target port must be 1 to 65535; got '" + port + "'");
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), portNumber);
        } catch (UnknownHostException e) {
            throw new BadArgument("--target host '" + host + "' is unknown");
        }
    }
}
