package io.caravan.traffic.skydive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Skydive analyzer stand-in that speaks the real wire protocol (spec §1.1-§1.3), for tests:
 *
 * <ul>
 *   <li>{@code GET /ws/subscriber/flow} upgrades to a WebSocket after the analyzer's checks: 401 for
 *       missing or wrong credentials (Basic, the {@code authtoken} cookie, {@code X-Auth-Token}) when
 *       users are configured, 403 for a {@link #deny denied} user, 400 without {@code X-Client-Type} or
 *       with an {@code X-Client-Protocol} other than json/protobuf, 409 for an {@code X-Host-ID} already
 *       connected; the 101 carries {@code X-Host-ID} and {@code X-Service-Type}.</li>
 *   <li>Pings every {@link #pingInterval} (2 s) and closes a client that has not answered one within
 *       {@link #pongTimeout} (7 s) of the last pong, as graffiti's read deadline does.</li>
 *   <li>JSON envelopes in text frames for json clients, protobuf {@code StructMessage} in binary frames
 *       for protobuf clients (Obj still JSON).</li>
 *   <li>{@code POST /login} (form username, password) answers {@code {"Token","Permissions"}} with the
 *       {@code authtoken} cookie, 401 for bad credentials; {@code POST /api/topology} answers Gremlin
 *       queries from {@link #topology}'s map ({@code []} for unknown queries), with the same auth.</li>
 * </ul>
 *
 * <p>{@link #stop()} and {@link #start()} again keep the port, for reconnect tests. Thread-safe.
 */
public final class SkydiveAnalyzer implements AutoCloseable {
    public static final String PATH = "/ws/subscriber/flow";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx = Vertx.vertx();
    private final Map<String, String> users = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> gremlin = new ConcurrentHashMap<>();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final List<Integer> upgrades = new CopyOnWriteArrayList<>();
    private final Map<ServerWebSocket, Client> clients = new ConcurrentHashMap<>();
    private final Set<String> hostIds = ConcurrentHashMap.newKeySet();
    private volatile Duration pingInterval = Duration.ofSeconds(2);
    private volatile Duration pongTimeout = Duration.ofSeconds(7);
    private volatile HttpServer server;
    private volatile int port;
    private volatile long pingTimer = -1;
    private volatile io.vertx.core.net.PfxOptions tls;

    /** A connected subscriber as the analyzer sees it. */
    public static final class Client {
        private final String hostId;
        private final String clientType;
        private final String protocol;
        private final Set<String> namespaces;
        private final String user;
        private final ServerWebSocket socket;
        private final AtomicLong lastPongNanos = new AtomicLong(System.nanoTime());
        private final AtomicLong pongs = new AtomicLong();

        Client(String hostId, String clientType, String protocol, Set<String> namespaces, String user,
               ServerWebSocket socket) {
            this.hostId = hostId;
            this.clientType = clientType;
            this.protocol = protocol;
            this.namespaces = namespaces;
            this.user = user;
            this.socket = socket;
        }

        public String hostId() {
            return hostId;
        }

        public String clientType() {
            return clientType;
        }

        /** json or protobuf. */
        public String protocol() {
            return protocol;
        }

        public Set<String> namespaces() {
            return namespaces;
        }

        /** The authenticated user; "" when the analyzer asks for no credentials. */
        public String user() {
            return user;
        }

        /** Pongs received from this client. */
        public long pongs() {
            return pongs.get();
        }

        public boolean protobuf() {
            return "protobuf".equals(protocol);
        }

        ServerWebSocket socket() {
            return socket;
        }
    }

    /** A user who may log in and subscribe. With no users at all, the analyzer asks for no credentials. */
    public SkydiveAnalyzer user(String name, String password) {
        users.put(name, password);
        return this;
    }

    /** A user whose credentials are right but who may not subscribe or query (403). */
    public SkydiveAnalyzer deny(String name) {
        denied.add(name);
        return this;
    }

    public SkydiveAnalyzer pingInterval(Duration d) {
        pingInterval = d;
        return this;
    }

    public SkydiveAnalyzer pongTimeout(Duration d) {
        pongTimeout = d;
        return this;
    }

    /** The reply to one exact Gremlin query (a JSON array as text); unknown queries get {@code []}. */
    public SkydiveAnalyzer topology(String query, String jsonReply) {
        gremlin.put(query, jsonReply);
        return this;
    }

    /** The port to bind (before the first {@link #start()}); 0, the default, takes a free one. */
    public SkydiveAnalyzer port(int p) {
        port = p;
        return this;
    }

    /** Serves https/wss with the key and certificate of a PKCS12 file (set before {@link #start()}). */
    public SkydiveAnalyzer tls(java.nio.file.Path pkcs12, String password) {
        tls = new io.vertx.core.net.PfxOptions().setPath(pkcs12.toString()).setPassword(password);
        return this;
    }

    /** Binds a free port on 127.0.0.1 the first time, the same port after a {@link #stop()}. */
    public synchronized SkydiveAnalyzer start() {
        if (server != null) {
            return this;
        }
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port).setReuseAddress(true)
                .setMaxWebSocketFrameSize(64 << 20).setMaxWebSocketMessageSize(256 << 20);
        if (tls != null) {
            options.setSsl(true).setKeyCertOptions(tls);
        }
        HttpServer s = vertx.createHttpServer(options);
        s.requestHandler(this::handle);
        server = await(s.listen());
        port = server.actualPort();
        pingTimer = vertx.setPeriodic(pingInterval.toMillis(), id -> pingAll());
        return this;
    }

    /** Closes the port and every connection, as a crashed or restarting analyzer does. */
    public synchronized void stop() {
        HttpServer s = server;
        server = null;
        if (pingTimer >= 0) {
            vertx.cancelTimer(pingTimer);
            pingTimer = -1;
        }
        for (ServerWebSocket ws : List.copyOf(clients.keySet())) {
            ws.close();
        }
        clients.clear();
        hostIds.clear();
        if (s != null) {
            await(s.close());
        }
    }

    @Override
    public void close() {
        stop();
        await(vertx.close());
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}, as the {@code skydive:} endpoint and {@code caravan.skydive.analyzer} take it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public Collection<Client> clients() {
        return List.copyOf(clients.values());
    }

    /** The status of every upgrade attempt so far, in order (101 for accepted ones). */
    public List<Integer> upgrades() {
        return List.copyOf(upgrades);
    }

    /** Every Gremlin query received so far, in order. */
    public List<String> queries() {
        return List.copyOf(queries);
    }

    /**
     * Sends flows as the analyzer broadcasts a bulk: one store message on {@code flow} to the clients
     * subscribed to it, and one on {@code flow/<CaptureID>} per capture to the clients subscribed to
     * that.
     *
     * @return the number of messages written
     */
    public int publish(List<ObjectNode> flows) {
        int sent = send("flow", "store", array(flows));
        Map<String, List<ObjectNode>> byCapture = new LinkedHashMap<>();
        for (ObjectNode f : flows) {
            byCapture.computeIfAbsent(f.path("CaptureID").asText(""), k -> new ArrayList<>()).add(f);
        }
        for (Map.Entry<String, List<ObjectNode>> e : byCapture.entrySet()) {
            if (!e.getKey().isEmpty()) {
                sent += send("flow/" + e.getKey(), "store", array(e.getValue()));
            }
        }
        return sent;
    }

    /** One message of any type on one namespace, to the clients subscribed to it, in each one's envelope. */
    public int send(String namespace, String type, JsonNode obj) {
        String uuid = UUID.randomUUID().toString();
        int sent = 0;
        for (Client c : clients.values()) {
            if (!c.namespaces().contains(namespace)) {
                continue;
            }
            if (c.protobuf()) {
                c.socket().writeBinaryMessage(Buffer.buffer(StructMessages.encode(namespace, type, uuid, 200, 0,
                        obj.toString().getBytes(StandardCharsets.UTF_8))));
            } else {
                ObjectNode env = JSON.createObjectNode();
                env.put("Namespace", namespace).put("Type", type).put("UUID", uuid).put("Status", 200);
                env.set("Obj", obj);
                c.socket().writeTextMessage(env.toString());
            }
            sent++;
        }
        return sent;
    }

    /** A raw text frame to every client (for malformed-input tests). */
    public void sendRawText(String text) {
        clients.keySet().forEach(ws -> ws.writeTextMessage(text));
    }

    /** A raw binary frame to every client. */
    public void sendRawBinary(byte[] bytes) {
        clients.keySet().forEach(ws -> ws.writeBinaryMessage(Buffer.buffer(bytes)));
    }

    private static ArrayNode array(List<ObjectNode> flows) {
        ArrayNode a = JSON.createArrayNode();
        flows.forEach(a::add);
        return a;
    }

    private void pingAll() {
        long now = System.nanoTime();
        long deadline = pongTimeout.toNanos();
        for (Client c : clients.values()) {
            if (now - c.lastPongNanos.get() > deadline) {
                forget(c.socket());
                c.socket().close((short) 1000, "pong timeout");
            } else {
                c.socket().writePing(Buffer.buffer("skydive"));
            }
        }
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if (PATH.equals(path)) {
            subscribe(req);
        } else if ("/login".equals(path) && req.method() == HttpMethod.POST) {
            req.body().onSuccess(body -> login(req, body.toString(StandardCharsets.UTF_8)));
        } else if ("/api/topology".equals(path) && req.method() == HttpMethod.POST) {
            req.body().onSuccess(body -> topology(req, body.toString(StandardCharsets.UTF_8)));
        } else {
            req.response().setStatusCode(404).end();
        }
    }

    /** The user the request authenticates as, "" without users configured, or null when the credentials are wrong. */
    private String authenticate(HttpServerRequest req) {
        if (users.isEmpty()) {
            return "";
        }
        String authz = req.getHeader("Authorization");
        if (authz != null && authz.startsWith("Basic ")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authz.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            String u = decoded.substring(0, colon);
            return decoded.substring(colon + 1).equals(users.get(u)) ? u : null;
        }
        String token = req.getHeader("X-Auth-Token");
        if (token == null) {
            token = req.getParam("x-auth-token");
        }
        if (token == null && req.getCookie("authtoken") != null) {
            token = req.getCookie("authtoken").getValue();
        }
        return token == null ? null : tokens.get(token);
    }

    private void subscribe(HttpServerRequest req) {
        String user = authenticate(req);
        if (user == null) {
            refuse(req, 401, "Unauthorized");
            return;
        }
        if (denied.contains(user)) {
            refuse(req, 403, "Forbidden");
            return;
        }
        String clientType = headerOrParam(req, "X-Client-Type");
        if (clientType.isEmpty()) {
            refuse(req, 400, "X-Client-Type header is required");
            return;
        }
        String protocol = headerOrParam(req, "X-Client-Protocol");
        if (!protocol.isEmpty() && !"json".equals(protocol) && !"protobuf".equals(protocol)) {
            refuse(req, 400, "Protocol not supported");
            return;
        }
        String hostId = headerOrParam(req, "X-Host-ID");
        if (hostId.isEmpty()) {
            hostId = req.remoteAddress().host() + ":" + req.remoteAddress().port();
        }
        if (!hostIds.add(hostId)) {
            refuse(req, 409, "Client already connected");
            return;
        }
        Set<String> namespaces = new LinkedHashSet<>();
        for (String v : req.headers().getAll("X-Websocket-Namespace")) {
            for (String ns : v.split(",")) {
                if (!ns.isBlank()) {
                    namespaces.add(ns.trim());
                }
            }
        }
        if (namespaces.isEmpty()) {
            namespaces.add("flow");
            namespaces.add("stats");
        }
        req.response().headers().add("X-Host-ID", "skydive-standin-analyzer").add("X-Service-Type", "analyzer");
        String id = hostId;
        String proto = protocol.isEmpty() ? "json" : protocol;
        req.toWebSocket().onFailure(e -> hostIds.remove(id)).onSuccess(ws -> {
            Client client = new Client(id, clientType, proto, Set.copyOf(namespaces), user, ws);
            ws.pongHandler(b -> {
                client.lastPongNanos.set(System.nanoTime());
                client.pongs.incrementAndGet();
            });
            ws.closeHandler(v -> forget(ws));
            ws.exceptionHandler(e -> forget(ws));
            ws.handler(b -> { });
            clients.put(ws, client);
            upgrades.add(101);
        });
    }

    private void forget(ServerWebSocket ws) {
        Client c = clients.remove(ws);
        if (c != null) {
            hostIds.remove(c.hostId());
        }
    }

    private void refuse(HttpServerRequest req, int status, String message) {
        upgrades.add(status);
        req.response().setStatusCode(status).putHeader("Content-Type", "text/plain").end(message);
    }

    private static String headerOrParam(HttpServerRequest req, String name) {
        String v = req.getHeader(name);
        if (v == null) {
            v = req.getParam(name.toLowerCase(java.util.Locale.ROOT));
        }
        return v == null ? "" : v.trim();
    }

    private void login(HttpServerRequest req, String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String u = form.getOrDefault("username", "");
        String p = form.get("password");
        if (p == null || !p.equals(users.get(u))) {
            req.response().setStatusCode(401).end();
            return;
        }
        String token = UUID.randomUUID().toString().replace("-", "");
        tokens.put(token, u);
        ObjectNode reply = JSON.createObjectNode().put("Token", token);
        reply.putObject("Permissions");
        req.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                .putHeader("Set-Cookie", "authtoken=" + token + "; Path=/").end(reply.toString());
    }

    private void topology(HttpServerRequest req, String body) {
        String user = authenticate(req);
        if (user == null) {
            req.response().setStatusCode(401).end();
            return;
        }
        if (denied.contains(user)) {
            req.response().setStatusCode(403).end();
            return;
        }
        String query;
        try {
            query = JSON.readTree(body).path("GremlinQuery").asText("");
        } catch (java.io.IOException e) {
            req.response().setStatusCode(400).end("not JSON");
            return;
        }
        queries.add(query);
        req.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                .end(gremlin.getOrDefault(query, "[]"));
    }

    private static <T> T await(io.vertx.core.Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("skydive analyzer stand-in: " + e.getMessage(), e);
        }
    }
}
