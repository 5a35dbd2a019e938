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
    private AutoCloseable client;

    /**
     * @param uri         the endpoint URI (may hold secrets)
     * @param description what {@link #describe} says instead of the URI
     */
    public EndpointWriter(CamelContext camel, String uri, String description) {
        this.camel = camel;
        this.uri = uri;
        this.s3 = null;
        this.description = description;
    }

    /**
     * A writer to S3 through an {@code aws2-s3} endpoint of its own, with an S3 client built from
     * {@code target} (see {@link S3Clients}); both are closed with the writer.
     */
    public EndpointWriter(CamelContext camel, S3Target target) {
        this.camel = camel;
        this.uri = null;
        this.s3 = target;
        this.description = target.describe();
    }

    @Override
    public void start() throws Exception {
        if (s3 != null) {
            var c = S3Clients.create(s3);
            client = c;
            endpoint = S3Clients.endpoint(camel, s3, c);
        } else {
            endpoint = camel.getEndpoint(uri);
        }
        ServiceHelper.startService(endpoint);
        producer = endpoint.createProducer();
        ServiceHelper.startService(producer);
    }

    @Override
    public void write(StoredObject object) throws Exception {
        Producer p = producer;
        if (p == null) {
            throw new IllegalStateException("writer to " + description + " is not started");
        }
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

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() throws Exception {
        Producer p = producer;
        producer = null;
        ServiceHelper.stopService(p);
        if (s3 != null) {
            // Ours alone (not in the context's registry): stop it and its client with the writer.
            ServiceHelper.stopAndShutdownService(endpoint);
            AutoCloseable c = client;
            client = null;
            if (c != null) {
                c.close();
            }
        }
    }
}
