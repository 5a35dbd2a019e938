package io.caravan.skydive.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server answering {@code POST /api/topology} as the analyzer does: each Gremlin query
 * text is looked up in a table of JSON replies ({@code []} when absent). It records each query and
 * Authorization header, can answer a fixed HTTP status instead, or hold replies until released
 * (to prove client timeouts without sleeping). Bound to 127.0.0.1 on a free port.
 */
public final class TopologyServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, String> replies = new ConcurrentHashMap<>();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile int failStatus;
    private volatile CountDownLatch hold;

    public TopologyServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "topology-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/api/topology", exchange -> {
            try (exchange) {
                String body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                authorizations.add(auth == null ? "" : auth);
                CountDownLatch h = hold;
                if (h != null) {
                    try {
                        h.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (!exchange.getRequestMethod().equals("POST")) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                String query = TestFlows.JSON.readTree(body).path("GremlinQuery").asText("");
                queries.add(query);
                int fail = failStatus;
                if (fail != 0) {
                    exchange.sendResponseHeaders(fail, -1);
                    return;
                }
                byte[] reply = replies.getOrDefault(query, "[]").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, reply.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply);
                }
            }
        });
        server.start();
    }

    /** Answers {@code query} with {@code jsonArray}. */
    public TopologyServer answer(String query, String jsonArray) {
        replies.put(query, jsonArray);
        return this;
    }

    /** Answers every query with this status (0: answer normally again). */
    public void failWith(int status) {
        failStatus = status;
    }

    /** Holds every reply until {@link #release}. */
    public void holdReplies() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch h = hold;
        hold = null;
        if (h != null) {
            h.countDown();
        }
    }

    public List<String> queries() {
        return queries;
    }

    public long count(String query) {
        return queries.stream().filter(query::equals).count();
    }

    public List<String> authorizations() {
        return authorizations;
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** {@code 127.0.0.1:<port>}, the form of the analyzer option. */
    public String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
