package io.caravan.traffic.skydive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code caravan analyzer}: the analyzer stand-in as a demo peer. It serves the analyzer's
 * WebSocket flow subscription (and {@code /login}, {@code /api/topology}) on 127.0.0.1 and, once a
 * second, publishes one store message: the given number of new flows (STARTED), the previous
 * second's flows again (UPDATED) and those of the second before (ENDED, by FIN, RST or timeout), so
 * each flow is seen three times. Flows cycle through internal, egress, ingress and other address
 * pairs of the default caravan.skydive.subnets. Runs until interrupted.
 */
public final class AnalyzerDemo {
    private static final int[] FINISH = {SkydiveFlow.TCP_FIN, SkydiveFlow.TCP_RST, SkydiveFlow.TIMEOUT};

    private AnalyzerDemo() {
    }

    /**
     * @param port           the port to serve (the analyzer's default is 8082)
     * @param flowsPerSecond new flows a second (each is sent three times)
     * @param user           a user the analyzer asks for, or empty for none
     */
    public static void run(int port, int flowsPerSecond, String user, String password, PrintWriter out)
            throws InterruptedException {
        try (SkydiveAnalyzer analyzer = new SkydiveAnalyzer().port(port)) {
            if (!user.isEmpty()) {
                analyzer.user(user, password);
            }
            analyzer.start();
            out.println("analyzer stand-in on " + analyzer.address() + " (ws://" + analyzer.address()
                    + SkydiveAnalyzer.PATH + "), " + flowsPerSecond + " new flows a second"
                    + (user.isEmpty() ? ", no credentials" : ", user " + user) + "; Ctrl-C stops");
            out.flush();
            List<SkydiveFlow> started = List.of();
            List<SkydiveFlow> updated = List.of();
            long n = 0;
            long seconds = 0;
            while (!Thread.currentThread().isInterrupted()) {
                long now = System.currentTimeMillis();
                List<ObjectNode> message = new ArrayList<>();
                for (int i = 0; i < updated.size(); i++) {
                    message.add(updated.get(i).end(now, FINISH[i % FINISH.length]));
                }
                for (SkydiveFlow f : started) {
                    message.add(f.update(now, 12, 9_000, 10, 48_000));
                }
                List<SkydiveFlow> fresh = new ArrayList<>(flowsPerSecond);
                for (int i = 0; i < flowsPerSecond; i++) {
                    SkydiveFlow f = flow(n++).startMs(now);
                    message.add(f.update(now, 3, 220, 2, 180));
                    fresh.add(f);
                }
                updated = started;
                started = fresh;
                int clients = message.isEmpty() ? 0 : analyzer.publish(message);
                if (++seconds % 10 == 0) {
                    out.println(message.size() + " flow snapshots a second, " + analyzer.clients().size()
                            + " subscriber(s), " + clients + " message(s) this second");
                    out.flush();
                }
                Thread.sleep(1000); // the demo publishes once a second, as an analyzer batches flows
            }
        }
    }

    /** The n-th flow: internal, egress, ingress or other in turn, with ports that make it unique. */
    static SkydiveFlow flow(long n) {
        int host = (int) (n % 200) + 10;
        int port = 20_000 + (int) (n % 40_000);
        return switch ((int) (n % 4)) {
            case 0 -> SkydiveFlow.tcp("10.0.0." + host, port, "10.0.1.20", 443);
            case 1 -> SkydiveFlow.udp("192.168.0." + host, port, "8.8.8.8", 53);
            case 2 -> SkydiveFlow.tcp("203.0.113." + host, port, "172.16.0.5", 22);
            default -> SkydiveFlow.tcp("198.51.100." + host, port, "203.0.113.80", 80);
        };
    }
}
