import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * Hostile traffic for bench/soak.sh, to 127.0.0.1 only, at a bounded rate for a bounded time:
 * random bytes, truncated NetFlow v9 / IPFIX / sFlow headers, template floods (many template ids,
 * many fields, many observation domains, from many source ports) and data for templates never
 * sent, spread over the collector ports; plus, once a second, HTTP clients that send headers one
 * byte at a time, oversized headers, or garbage. Run with {@code java bench/HostileSender.java}
 * (no build needed).
 *
 * <pre>java HostileSender.java NETFLOW_PORT IPFIX_PORT SFLOW_PORT HTTP_PORT RATE SECONDS [SOURCES]</pre>
 */
public final class HostileSender {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int MAX_SLOW_HTTP = 20;

    private final int netflow;
    private final int ipfix;
    private final int sflow;
    private final int http;
    private final Random random = new Random(42);
    private final long[] sent = new long[5];
    private final String[] kinds = {"random", "truncated", "template-flood", "unknown-template", "sflow-garbage"};
    private long httpAttempts;

    private HostileSender(int netflow, int ipfix, int sflow, int http) {
        this.netflow = netflow;
        this.ipfix = ipfix;
        this.sflow = sflow;
        this.http = http;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: java HostileSender.java NETFLOW_PORT IPFIX_PORT SFLOW_PORT HTTP_PORT RATE SECONDS [SOURCES]");
            System.exit(2);
        }
        HostileSender s = new HostileSender(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Integer.parseInt(args[3]));
        long rate = Math.max(1, Math.min(100_000, Long.parseLong(args[4])));
        long seconds = Math.max(1, Math.min(7 * 24 * 3600, Long.parseLong(args[5])));
        int sources = args.length > 6 ? Math.max(1, Math.min(1000, Integer.parseInt(args[6]))) : 64;
        s.run(rate, seconds, sources);
    }

    private void run(long rate, long seconds, int sources) throws Exception {
        List<DatagramSocket> sockets = new ArrayList<>();
        for (int i = 0; i < sources; i++) {
            sockets.add(new DatagramSocket(new InetSocketAddress(LOOPBACK, 0)));
        }
        Deque<Socket> slowHttp = new ArrayDeque<>();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long interval = 1_000_000_000L / rate;
        long next = start;
        long nextHttp = start;
        long n = 0;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (now < next) {
                Thread.sleep(Math.max(0, (next - now) / 1_000_000), (int) ((next - now) % 1_000_000));
                continue;
            }
            next += interval;
            DatagramSocket socket = sockets.get((int) (n++ % sockets.size()));
            int kind = random.nextInt(kinds.length);
            byte[] payload;
            int port;
            switch (kind) {
                case 0 -> {
                    payload = randomBytes(1 + random.nextInt(1500));
                    port = new int[] {netflow, ipfix, sflow}[random.nextInt(3)];
                }
                case 1 -> {
                    boolean v9 = random.nextBoolean();
                    byte[] whole = templateFlood(v9);
                    payload = java.util.Arrays.copyOf(whole, 1 + random.nextInt(Math.min(whole.length - 1, 40)));
                    port = v9 ? netflow : ipfix;
                }
                case 2 -> {
                    boolean v9 = random.nextBoolean();
                    payload = templateFlood(v9);
                    port = v9 ? netflow : ipfix;
                }
                case 3 -> {
                    payload = dataForUnknownTemplate();
                    port = ipfix;
                }
                default -> {
                    payload = sflowGarbage();
                    port = sflow;
                }
            }
            try {
                socket.send(new DatagramPacket(payload, payload.length, LOOPBACK, port));
                sent[kind]++;
            } catch (IOException e) {
                // ICMP port unreachable from an earlier datagram: the collector is not listening (yet)
            }
            if (now >= nextHttp) {
                nextHttp += 1_000_000_000L;
                httpAbuse(slowHttp);
            }
        }
        for (Socket s : slowHttp) {
            s.close();
        }
        sockets.forEach(DatagramSocket::close);
        StringBuilder summary = new StringBuilder("hostile: sent");
        for (int i = 0; i < kinds.length; i++) {
            summary.append(' ').append(kinds[i]).append('=').append(sent[i]);
        }
        System.out.println(summary + " http-attempts=" + httpAttempts + " in " + seconds + " s");
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** One template set with a random template id and 100-400 fields, from a random observation domain. */
    private byte[] templateFlood(boolean v9) {
        int fields = 100 + random.nextInt(300);
        int templateId = 256 + random.nextInt(65_000);
        int setLength = 4 + 4 + fields * 4;
        int headerLength = v9 ? 20 : 16;
        ByteBuffer b = ByteBuffer.allocate(headerLength + setLength);
        if (v9) {
            b.putShort((short) 9).putShort((short) 1).putInt(random.nextInt()).putInt((int) (System.currentTimeMillis() / 1000))
                    .putInt(random.nextInt()).putInt(random.nextInt(1000));
        } else {
            b.putShort((short) 10).putShort((short) (headerLength + setLength)).putInt((int) (System.currentTimeMillis() / 1000))
                    .putInt(random.nextInt()).putInt(random.nextInt(1000));
        }
        b.putShort((short) (v9 ? 0 : 2)).putShort((short) setLength).putShort((short) templateId).putShort((short) fields);
        for (int i = 0; i < fields; i++) {
            b.putShort((short) (1 + random.nextInt(400))).putShort((short) (1 + random.nextInt(16)));
        }
        return b.array();
    }

    /** IPFIX data set for a template id nobody sent. */
    private byte[] dataForUnknownTemplate() {
        byte[] records = randomBytes(40 + random.nextInt(400));
        ByteBuffer b = ByteBuffer.allocate(16 + 4 + records.length);
        b.putShort((short) 10).putShort((short) b.capacity()).putInt((int) (System.currentTimeMillis() / 1000))
                .putInt(random.nextInt()).putInt(random.nextInt(1000));
        b.putShort((short) (256 + random.nextInt(65_000))).putShort((short) (4 + records.length)).put(records);
        return b.array();
    }

    /** An sFlow v5 header claiming many samples, followed by noise. */
    private byte[] sflowGarbage() {
        ByteBuffer b = ByteBuffer.allocate(28 + 200);
        b.putInt(5).putInt(1).put(new byte[] {127, 0, 0, (byte) (1 + random.nextInt(250))}).putInt(0).putInt(random.nextInt())
                .putInt(random.nextInt()).putInt(1 + random.nextInt(1000));
        b.put(randomBytes(200));
        return b.array();
    }

    private Socket open() throws IOException {
        Socket s = new Socket(LOOPBACK, http);
        s.setSoTimeout(5_000);
        return s;
    }

    /** A few HTTP abuses a second: a slow header sender (kept up to a bound), oversized headers, garbage. */
    private void httpAbuse(Deque<Socket> slow) {
        httpAttempts++;
        try {
            if (slow.size() >= MAX_SLOW_HTTP) {
                slow.removeFirst().close();
            }
            Socket s = open();
            s.getOutputStream().write('G');
            slow.addLast(s);
            for (Socket open : slow) {
                try {
                    open.getOutputStream().write('E');
                } catch (IOException hungUp) {
                    // the server closed it: read timeout
                }
            }
            try (Socket big = open()) {
                OutputStream out = big.getOutputStream();
                out.write(("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                big.getInputStream().readNBytes(64);
            }
            try (Socket junk = open()) {
                junk.getOutputStream().write(randomBytes(512));
                junk.getInputStream().readNBytes(64);
            }
        } catch (IOException e) {
            // refused or reset: the server defending itself is the point
        }
    }
}
