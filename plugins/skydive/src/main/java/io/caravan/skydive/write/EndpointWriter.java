package io.caravan.skydive.write;

import java.util.LinkedHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Writes each object as one exchange to a Camel endpoint: Camel's {@code aws2-s3} (one PutObject
 * per object), or any endpoint a route names. The body is the object's bytes; the headers are the
 * ones {@code aws2-s3} reads ({@code CamelAwsS3Key}, {@code CamelAwsS3ContentType},
 * {@code CamelAwsS3ContentEncoding} when there is one, {@code CamelAwsS3ContentLength},
 * {@code CamelAwsS3Metadata}, {@code CamelAwsS3BucketName}), plus {@code CaravanSkydiveRecords}.
 * An exchange that comes back failed is a failed write.
 *
 * <p>The writer owns its producer and stops it in {@link #close}, after the store's last flush,
 * so the final objects of a clean stop still have somewhere to go.
 */
public final class EndpointWriter implements ObjectWriter {
    public static final String KEY = "CamelAwsS3Key";
    public static final String BUCKET = "CamelAwsS3BucketName";
    public static final String CONTENT_TYPE = "CamelAwsS3ContentType";
    public static final String CONTENT_ENCODING = "CamelAwsS3ContentEncoding";
    public static final String CONTENT_LENGTH = "CamelAwsS3ContentLength";
    public static final String METADATA = "CamelAwsS3Metadata";
    public static final String RECORDS = "CaravanSkydiveRecords";

    private final CamelContext camel;
    private final String uri;
    private final S3Target s3;
    private final String description;
    private Endpoint endpoint;
    private Producer producer;
    private Object client;
    private final java.time.Clock clock;

    /**
     * @param uri         the endpoint URI (may hold secrets)
     * @param description what {@link #describe} says instead of the URI
     */
    public EndpointWriter(CamelContext camel, String uri, String description) {
        this.camel = camel;
        this.uri = uri;
        this.s3 = null;
        this.clock = null;
        this.description = description;
    }

    /**
     * A writer to S3 through an {@code aws2-s3} endpoint of its own, with an S3 client built from
     * {@code target} (see {@link S3Clients}); both are closed with the writer.
     */
    public EndpointWriter(CamelContext camel, S3Target target, java.time.Clock clock) {
        this.camel = camel;
        this.clock = clock;
        this.uri = null;
        this.s3 = target;
        this.description = target.describe();
    }

    /**
     * Checks what can be checked without the network: the URI resolves to an endpoint (an unknown
     * scheme fails the route at start), the S3 client builds. The endpoint itself starts with the
     * first write, because {@code aws2-s3} asks the server whether the bucket exists when it
     * starts: an object store that is down (or refuses the credentials) when the route starts is
     * a failed write, kept and retried by the store, not a route that never starts.
     */
    @Override
    public void start() throws Exception {
        if (s3 != null) {
            client = S3Clients.create(s3, clock);
        } else {
            endpoint = camel.getEndpoint(uri);
        }
    }

    @Override
    public void write(StoredObject object) throws Exception {
        Producer p = producer();
        Exchange exchange = endpoint.createExchange();
        var in = exchange.getIn();
        in.setBody(object.data());
        in.setHeader(KEY, object.key());
        in.setHeader(BUCKET, object.bucket());
        in.setHeader(CONTENT_TYPE, object.contentType());
        if (object.contentEncoding() != null) {
            in.setHeader(CONTENT_ENCODING, object.contentEncoding());
        }
        in.setHeader(CONTENT_LENGTH, (long) object.data().length);
        in.setHeader(METADATA, new LinkedHashMap<>(object.metadata()));
        in.setHeader(RECORDS, object.records());
        p.process(exchange);
        if (exchange.getException() != null) {
            throw exchange.getException();
        }
    }

    /** The started producer, starting the endpoint and producer on first use or after a failed start. */
    private synchronized Producer producer() throws Exception {
        if (producer != null) {
            return producer;
        }
        if (s3 == null && endpoint == null) {
            throw new IllegalStateException("writer to " + description + " is not started");
        }
        Endpoint e = s3 != null ? S3Clients.endpoint(camel, s3, (software.amazon.awssdk.services.s3.S3Client) client)
                : endpoint;
        try {
            ServiceHelper.startService(e);
            Producer p = e.createProducer();
            ServiceHelper.startService(p);
            endpoint = e;
            producer = p;
            return p;
        } catch (Exception ex) {
            if (s3 != null) {
                // A failed service is not started twice: the next write makes a new endpoint.
                ServiceHelper.stopAndShutdownService(e);
            }
            throw ex;
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public synchronized void close() throws Exception {
        Producer p = producer;
        producer = null;
        ServiceHelper.stopService(p);
        if (s3 != null) {
            // Ours alone (not in the context's registry): stop it and its client with the writer.
            ServiceHelper.stopAndShutdownService(endpoint);
            Object c = client;
            client = null;
            if (c instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }
}
