package io.caravan.traffic.generate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends flow datagrams at a steady rate from several exporters, for demos, soak tests and the
 * load benchmark. Each exporter keeps its own sequence numbers and template cycle, so a
 * collector sees well-formed streams with no gaps unless the network loses datagrams.
 */
public final class TrafficGenerator {
    public GeneratorResult run(GeneratorPlan plan) throws IOException {
        List<DatagramChannel> channels = new ArrayList<>();
        List<ExporterStream> streams = new ArrayList<>();
        try {
            boolean loopback = plan.target().getAddress().isLoopbackAddress() && plan.target().getAddress().getAddress().length == 4;
            for (int i = 0; i < plan.exporters(); i++) {
                DatagramChannel ch = DatagramChannel.open();
                ch.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4 << 20);
                InetAddress source = loopback ? InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (i + 1)}) : null;
                ch.bind(source == null ? null : new InetSocketAddress(source, 0));
                // Connected: the kernel resolves the route once, not per datagram, which matters when
                // generator and collector share a machine. An unreachable collector (ICMP port
                // unreachable) then fails the next write; that is counted below, not fatal.
                ch.connect(plan.target());
                channels.add(ch);
                streams.add(ExporterStream.create(plan.protocol(), i, source == null ? InetAddress.getLoopbackAddress() : source,
                        plan.recordsPerDatagram(), plan.seed()));
            }
            long refused = 0;
            long start = System.nanoTime();
            long intervalNs = plan.rate() == 0 ? 0 : 1_000_000_000L / plan.rate();
            for (long n = 0; n < plan.count(); n++) {
                if (intervalNs > 0) {
                    long due = start + n * intervalNs;
                    long wait = due - System.nanoTime();
                    // Park, never spin: a spinning generator takes a whole core from the collector
                    // it measures. parkNanos overshoots by tens of µs, so datagrams that fell due
                    // meanwhile leave back to back: short bursts, as real exporters send.
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                int e = (int) (n % streams.size());
                ExporterStream s = streams.get(e);
                byte[] datagram = s.next(System.currentTimeMillis());
                try {
                    channels.get(e).write(ByteBuffer.wrap(datagram));
                } catch (PortUnreachableException unreachable) {
                    // Nobody listened when an earlier datagram arrived; this one is not sent.
                    refused++;
                }
            }
            // Every datagram carries the same number of data records; templates do not count.
            long sent = plan.count() - refused;
            return new GeneratorResult(sent, sent * plan.recordsPerDatagram(), refused, System.nanoTime() - start);
        } finally {
            for (DatagramChannel ch : channels) {
                ch.close();
            }
        }
    }
}
