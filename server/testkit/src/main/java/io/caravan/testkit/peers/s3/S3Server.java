package io.caravan.testkit.peers.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;

/**
 * A real S3-compatible server for tests: S3Proxy 2.6.0 in this JVM, over a transient (memory) or
 * filesystem blob store, on a free loopback port, with static keys (AWS signature v2 or v4).
 * Tests talk to it over HTTP with any S3 client, path-style, at {@link #endpoint()}, and look at
 * what arrived through {@link #list}/{@link #get} without an S3 client of their own.
 *
 * <p>Outages: {@link #stop()} and {@link #start()} close and reopen the same port over the same
 * blob store, so what was written before survives; {@link #unavailableFor} does both on a timer.
 *
 * <p>AWS SDK v2 (from 2.30) sends CRC32 checksums in aws-chunked trailers that S3Proxy 2.6.0
 * rejects; clients must run with {@code aws.requestChecksumCalculation=WHEN_REQUIRED} and
 * {@code aws.responseChecksumValidation=WHEN_REQUIRED} (system properties or the
 * {@code AWS_REQUEST_CHECKSUM_CALCULATION} / {@code AWS_RESPONSE_CHECKSUM_VALIDATION} environment),
 * see {@link #SDK_CHECKSUM_PROPERTIES}.
 *
 * <pre>{@code
 * try (S3Server s3 = S3Server.transientStore()) {
 *     s3.createBucket("flows");
 *     ... aws2-s3://flows?overrideEndpoint=true&uriEndpointOverride=" + s3.endpoint() + "&forcePathStyle=true
 *             &region=us-east-1&accessKey=" + s3.accessKey() + "&secretKey=RAW(" + s3.secretKey() + ")"
 * }
 * }</pre>
 */
public final class S3Server implements AutoCloseable {
    /** The AWS SDK v2 settings S3Proxy needs from its clients, as system property name to value. */
    public static final Map<String, String> SDK_CHECKSUM_PROPERTIES = Map.of(
            "aws.requestChecksumCalculation", "WHEN_REQUIRED",
            "aws.responseChecksumValidation", "WHEN_REQUIRED");
    /** The default static credentials. */
    public static final String ACCESS_KEY = "caravan-test";
    public static final String SECRET_KEY = "caravan-test-secret";

    private final BlobStoreContext blobs;
    private final String accessKey;
    private final String secretKey;
    private final int port;
    private final ScheduledExecutorService outages;
    private S3Proxy proxy;
    private ScheduledFuture<?> pendingRestart;

    private S3Server(BlobStoreContext blobs, String accessKey, String secretKey) {
        this.blobs = blobs;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.port = freePort();
        this.outages = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "s3server-outage");
            t.setDaemon(true);
            return t;
        });
    }

    /** A started server keeping objects in memory, with the default keys. */
    public static S3Server transientStore() {
        return transientStore(ACCESS_KEY, SECRET_KEY);
    }

    /** A started server keeping objects in memory. */
    public static S3Server transientStore(String accessKey, String secretKey) {
        BlobStoreContext blobs = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .build(BlobStoreContext.class);
        return started(new S3Server(blobs, accessKey, secretKey));
    }

    /** A started server keeping objects under {@code directory} (one sub-directory per bucket), with the default keys. */
    public static S3Server filesystemStore(Path directory) {
        Properties p = new Properties();
        p.setProperty("jclouds.filesystem.basedir", directory.toAbsolutePath().toString());
        BlobStoreContext blobs = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential")
                .overrides(p).build(BlobStoreContext.class);
        return started(new S3Server(blobs, ACCESS_KEY, SECRET_KEY));
    }

    private static S3Server started(S3Server s) {
        try {
            s.start();
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Serves again on the same port (a no-op when serving). */
    public synchronized void start() {
        if (proxy != null) {
            return;
        }
        S3Proxy p = S3Proxy.builder().blobStore(blobs.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        try {
            p.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!"STARTED".equals(p.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start on port " + port + ": " + p.getState());
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start on port " + port, e);
        }
        proxy = p;
    }

    /** Stops serving: connections to the port are refused until {@link #start()}. Objects are kept. */
    public synchronized void stop() {
        S3Proxy p = proxy;
        proxy = null;
        if (p != null) {
            try {
                p.stop();
            } catch (Exception e) {
                throw new IllegalStateException("S3Proxy did not stop", e);
            }
        }
    }

    /** Stops serving now and starts again after {@code outage}, on a background thread. */
    public synchronized void unavailableFor(Duration outage) {
        stop();
        pendingRestart = outages.schedule(this::start, outage.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether it is serving now. */
    public synchronized boolean running() {
        return proxy != null;
    }

    /** {@code http://127.0.0.1:<port>}, stable across stop and start. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** The region clients may name; S3Proxy accepts any. */
    public String region() {
        return "us-east-1";
    }

    /** Creates a bucket directly in the blob store (works while stopped too). */
    public void createBucket(String bucket) {
        blobs.getBlobStore().createContainerInLocation(null, bucket);
    }

    /** Stores an object directly in the blob store (works while stopped too). */
    public void put(String bucket, String key, byte[] data) {
        BlobStore store = blobs.getBlobStore();
        store.putBlob(bucket, store.blobBuilder(key).payload(data).contentLength(data.length).build());
    }

    /** Every key in a bucket, sorted. */
    public List<String> list(String bucket) {
        BlobStore store = blobs.getBlobStore();
        List<String> keys = new ArrayList<>();
        String marker = null;
        do {
            ListContainerOptions o = ListContainerOptions.Builder.recursive();
            if (marker != null) {
                o = o.afterMarker(marker);
            }
            var page = store.list(bucket, o);
            for (StorageMetadata m : page) {
                if (m.getType() == org.jclouds.blobstore.domain.StorageType.BLOB) {
                    keys.add(m.getName());
                }
            }
            marker = page.getNextMarker();
        } while (marker != null);
        keys.sort(null);
        return keys;
    }

    /** One stored object with its metadata, or null when there is none under that key. */
    public StoredObject get(String bucket, String key) {
        Blob blob;
        try {
            blob = blobs.getBlobStore().getBlob(bucket, key);
        } catch (RuntimeException e) {
            // The filesystem store lists an upload's temporary file while it is written, and that
            // file is renamed away before it can be read: no object under that key (yet).
            if (e.getCause() instanceof java.io.FileNotFoundException) {
                return null;
            }
            throw e;
        }
        if (blob == null) {
            return null;
        }
        byte[] data;
        try (InputStream in = blob.getPayload().openStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            data = out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var content = blob.getMetadata().getContentMetadata();
        return new StoredObject(key, data, content.getContentType(), contentEncoding(content.getContentEncoding()),
                new TreeMap<>(blob.getMetadata().getUserMetadata()));
    }

    /**
     * The Content-Encoding as AWS S3 would keep it: without {@code aws-chunked}, which only says how
     * the SDK framed the upload (S3Proxy stores it as given).
     */
    static String contentEncoding(String raw) {
        if (raw == null) {
            return null;
        }
        List<String> kept = new ArrayList<>();
        for (String e : raw.split(",")) {
            String t = e.trim();
            if (!t.isEmpty() && !t.equalsIgnoreCase("aws-chunked")) {
                kept.add(t);
            }
        }
        return kept.isEmpty() ? null : String.join(",", kept);
    }

    /**
     * An object as stored.
     *
     * @param key             the key
     * @param data            the bytes as uploaded (still compressed when they were)
     * @param contentType     the Content-Type it was stored with, or null
     * @param contentEncoding the Content-Encoding it was stored with, or null
     * @param userMetadata    the {@code x-amz-meta-*} entries, names without the prefix, lower case
     */
    public record StoredObject(String key, byte[] data, String contentType, String contentEncoding,
                               Map<String, String> userMetadata) {
    }

    @Override
    public synchronized void close() {
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
        }
        outages.shutdownNow();
        stop();
        blobs.close();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
