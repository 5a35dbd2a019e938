package io.caravan.server.config;

import java.util.List;

/**
 * One server setting: key, default and one-line doc. {@link #ALL} is the list the shipped
 * config/caravan.properties documents (a test keeps the two in step).
 */
public record Setting(String key, String defaultValue, String doc) {

    public static final Setting ROUTES_DIR = new Setting("caravan.routes.dir", "routes",
            "Directory of YAML route files; relative paths resolve against the install directory.");
    public static final Setting PLUGINS_DIR = new Setting("caravan.plugins.dir", "plugins",
            "Directory of plugin jars.");
    public static final Setting DATA_DIR = new Setting("caravan.data.dir", "data",
            "Directory for data the server writes (flows, staged plugin copies); routes use {{caravan.data.dir}}.");
    public static final Setting HTTP_HOST = new Setting("caravan.http.host", "127.0.0.1",
            "Address the HTTP port (health, metrics, admin API) binds to.");
    public static final Setting HTTP_PORT = new Setting("caravan.http.port", "8080",
            "The HTTP port; 0 picks a free one (logged, and written to data/http.port).");
    public static final Setting ADMIN_TOKEN = new Setting("caravan.admin.token", "",
            "Bearer token for mutating admin calls; empty refuses every mutating call.");
    public static final Setting HTTP_READ_TIMEOUT_MS = new Setting("caravan.http.read.timeout.ms", "10000",
            "A connection must deliver a whole request (line, headers, body) within this many milliseconds of opening or of its previous response, else it is closed.");
    public static final Setting HTTP_IDLE_TIMEOUT_MS = new Setting("caravan.http.idle.timeout.ms", "60000",
            "A connection on which nothing is read or written for this many milliseconds is closed.");
    public static final Setting HTTP_MAX_HEADER_BYTES = new Setting("caravan.http.max.header.bytes", "16384",
            "Largest request line plus headers in bytes; larger requests are answered 431 (414 for the line alone) and closed.");
    public static final Setting HTTP_MAX_BODY_BYTES = new Setting("caravan.http.max.body.bytes", "65536",
            "Largest request body in bytes; larger requests are answered 413 and closed.");
    public static final Setting HTTP_MAX_CONNECTIONS = new Setting("caravan.http.max.connections", "512",
            "Open HTTP connections at most; further ones are closed as soon as they are accepted.");
    public static final Setting HTTP_THREADS = new Setting("caravan.http.threads", "4",
            "Threads that answer admin and metrics requests; health has its own, and slow clients hold none.");
    public static final Setting ROUTES_MAX_FILE_BYTES = new Setting("caravan.routes.max.file.bytes", "1048576",
            "Largest route file read, in bytes; a larger file is refused (FAILED, or REJECTED with its previous version running).");
    public static final Setting PLUGINS_MAX_JAR_BYTES = new Setting("caravan.plugins.max.jar.bytes", "134217728",
            "Largest plugin jar loaded, in bytes; also the most any entry in it may declare.");
    public static final Setting PLUGINS_MAX_ENTRY_BYTES = new Setting("caravan.plugins.max.entry.bytes", "1048576",
            "Most bytes an entry the plugin host reads (manifest, META-INF/extensions.idx, plugin.properties, META-INF/services/*) may inflate to.");
    public static final Setting PLUGINS_EXIT_GUARD = new Setting("caravan.plugins.exit.guard", "true",
            "Refuse System.exit and Runtime.halt from plugin code and name the jar (Java 17-23; on later Java the jar is named at exit).");
    public static final Setting CONFIG_MAX_FILE_BYTES = new Setting("caravan.config.max.file.bytes", "1048576",
            "Largest config file read, in bytes (raise it by environment variable or system property: it guards this file).");
    public static final Setting LOG_REPEAT_INTERVAL_SECONDS = new Setting("caravan.log.repeat.interval.seconds", "10",
            "A repeated warning or error (same logger, message pattern and exception) is logged in full once, then as one count per this many seconds; 0 logs every one.");
    public static final Setting RELOAD_ROUTES = new Setting("caravan.reload.routes", "true",
            "Watch the routes directory and apply added, changed and deleted files.");
    public static final Setting RELOAD_PLUGINS = new Setting("caravan.reload.plugins", "true",
            "Watch the plugins directory and load, replace and unload jars.");
    public static final Setting RELOAD_DEBOUNCE_MS = new Setting("caravan.reload.debounce.ms", "300",
            "A changed file is acted on once it has been quiet this long (milliseconds).");
    public static final Setting RELOAD_HISTORY = new Setting("caravan.reload.history", "200",
            "How many reload outcomes the admin API keeps.");
    public static final Setting SHUTDOWN_TIMEOUT_SECONDS = new Setting("caravan.shutdown.timeout.seconds", "30",
            "On SIGTERM, how long in-flight exchanges and aggregations may take to complete before exit.");

    public static final Setting COLLECT_BIND = new Setting("caravan.collect.bind", "0.0.0.0",
            "Address the default collector routes listen on.");
    public static final Setting COLLECT_NETFLOW_PORT = new Setting("caravan.collect.netflow.port", "2055",
            "UDP port of the default NetFlow v5/v9 collector route.");
    public static final Setting COLLECT_IPFIX_PORT = new Setting("caravan.collect.ipfix.port", "4739",
            "UDP port of the default IPFIX collector route.");
    public static final Setting COLLECT_SFLOW_PORT = new Setting("caravan.collect.sflow.port", "6343",
            "UDP port of the default sFlow collector route.");
    public static final Setting COLLECT_RCVBUF = new Setting("caravan.collect.rcvbuf", "16777216",
            "SO_RCVBUF of the collector sockets in bytes (the kernel caps it at net.core.rmem_max; raise that too).");
    public static final Setting COLLECT_SOCKETS = new Setting("caravan.collect.sockets", "2",
            "Sockets per collector port (SO_REUSEPORT when more than 1), each with its own reader thread; the kernel spreads exporters over them.");
    public static final Setting COLLECT_WORKERS = new Setting("caravan.collect.workers", "0",
            "Threads that decode and write per collector route, fed from a bounded queue; 0 decodes on the reader thread.");
    public static final Setting COLLECT_QUEUE = new Setting("caravan.collect.queue", "10000",
            "Entries (datagrams or batches) the collector queue holds; when full, datagrams are dropped and counted (caravan_udp_queue_drops_total).");
    public static final Setting COLLECT_BATCH = new Setting("caravan.collect.batch", "64",
            "Most datagrams a collector route takes through its steps at once (those already waiting in the socket; it never waits to fill a batch).");
    public static final Setting COLLECT_COALESCE = new Setting("caravan.collect.coalesce.micros", "5000",
            "Microseconds a collector reader that has emptied its socket waits before reading again, so datagrams are taken in batches rather than one wake-up each; 0 for none. Capped by the receive buffer (3.3 ms for the default rcvbuf when net.core.rmem_max allows it).");
    public static final Setting COLLECT_ENCODING = new Setting("caravan.collect.encoding", "json",
            "Encoding of collected flow files: json (JSON lines) or protobuf (goflow2 FlowMessage, length-delimited).");
    public static final Setting COLLECT_ROTATE_SECONDS = new Setting("caravan.collect.rotate.seconds", "60",
            "Collected flow files are closed and a new one started after this many seconds.");
    public static final Setting COLLECT_ROTATE_BYTES = new Setting("caravan.collect.rotate.bytes", "134217728",
            "... or once a file would grow beyond this many bytes.");

    public static final Setting VANFLOW_RECORD_TTL = new Setting("caravan.vanflow.record.ttl", "15m",
            "VAN-flow records that ended (flows, pairs, purged topology) are dropped this long after they end: 15m, 900s, 1h or PT15M; at least 1 second (Skupper 1.x: at least 1 minute).");
    public static final Setting VANFLOW_MAX_RECORDS = new Setting("caravan.vanflow.max.records", "50000",
            "Most VAN-flow records held (about 2.7 KB of heap each); past it the longest-ended record is dropped, and a new one refused when all are live (caravan_vanflow_records_dropped_total).");
    public static final Setting VANFLOW_API_USERS = new Setting("caravan.vanflow.api.users", "",
            "Basic-auth users of the VAN-flow REST API (/api/v1alpha1) as user:password,user2:password2; empty leaves its reads open. Passwords are never logged.");
    public static final Setting VANFLOW_API_CORS_ORIGINS = new Setting("caravan.vanflow.api.cors.origins", "",
            "Origins whose browser pages may read the VAN-flow REST API (a Skupper console served from another host; Skupper's USE_CORS): empty allows none, * any (without credentials), or a list such as https://console.example.com,http://localhost:3000.");

    public static final Setting S3_ENDPOINT = new Setting("caravan.s3.endpoint", "",
            "S3 endpoint URL for MinIO, Ceph, IBM COS, S3Proxy, ... (path-style addressing); empty: AWS itself.");
    public static final Setting S3_REGION = new Setting("caravan.s3.region", "us-east-1",
            "Region (any value for most S3-compatible stores).");
    public static final Setting S3_ACCESS_KEY = new Setting("caravan.s3.access.key", "",
            "Static access key; empty: the AWS default credentials chain (environment, profile, instance role).");
    public static final Setting S3_SECRET_KEY = new Setting("caravan.s3.secret.key", "",
            "Static secret key (better given as CARAVAN_S3_SECRET_KEY); never logged or shown.");
    public static final Setting S3_CHECKSUMS = new Setting("caravan.s3.checksums", "when_supported",
            "Checksums the client sends and checks: when_supported (the AWS SDK's default) or when_required (for S3 implementations that reject the SDK's newer checksums, such as S3Proxy and older MinIO).");

    public static final List<Setting> ALL = List.of(ROUTES_DIR, PLUGINS_DIR, DATA_DIR, HTTP_HOST, HTTP_PORT,
            ADMIN_TOKEN, HTTP_READ_TIMEOUT_MS, HTTP_IDLE_TIMEOUT_MS, HTTP_MAX_HEADER_BYTES, HTTP_MAX_BODY_BYTES,
            HTTP_MAX_CONNECTIONS, HTTP_THREADS, ROUTES_MAX_FILE_BYTES, PLUGINS_MAX_JAR_BYTES, PLUGINS_MAX_ENTRY_BYTES,
            PLUGINS_EXIT_GUARD, CONFIG_MAX_FILE_BYTES, LOG_REPEAT_INTERVAL_SECONDS, RELOAD_ROUTES, RELOAD_PLUGINS, RELOAD_DEBOUNCE_MS, RELOAD_HISTORY, SHUTDOWN_TIMEOUT_SECONDS,
            COLLECT_BIND, COLLECT_NETFLOW_PORT, COLLECT_IPFIX_PORT, COLLECT_SFLOW_PORT, COLLECT_RCVBUF, COLLECT_SOCKETS, COLLECT_WORKERS, COLLECT_QUEUE, COLLECT_BATCH, COLLECT_COALESCE, COLLECT_ENCODING,
            COLLECT_ROTATE_SECONDS, COLLECT_ROTATE_BYTES, S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY, S3_SECRET_KEY, S3_CHECKSUMS, VANFLOW_RECORD_TTL, VANFLOW_MAX_RECORDS, VANFLOW_API_USERS,
            VANFLOW_API_CORS_ORIGINS);

    /** The environment variable that overrides this key: upper case, '.' and '-' as '_'. */
    public String envName() {
        return envName(key);
    }

    static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
