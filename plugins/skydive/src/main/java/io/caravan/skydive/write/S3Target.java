package io.caravan.skydive.write;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The exporter's {@code write.s3} settings, turned into Camel {@code aws2-s3} endpoint URI:
 * always path-style, a custom endpoint when one is given (MinIO, IBM COS, S3Proxy), static HMAC
 * keys or else the SDK's default credentials chain (AWS roles, environment), and the region.
 *
 * <p>IBM IAM {@code api_key} credentials need IBM's own COS SDK (a fork of the AWS SDK v1); the
 * AWS SDK v2 under Camel's {@code aws2-s3} cannot sign with them, so an api key is refused with a
 * message that says what to use instead (HMAC keys of the same COS service instance).
 *
 * @param endpoint         the S3 endpoint URL ({@code http://127.0.0.1:9000}); empty for AWS itself
 * @param region           the signing region
 * @param bucket           the bucket
 * @param accessKey        the HMAC access key id, or empty for the default credentials chain
 * @param secretKey        the HMAC secret
 * @param apiKey           an IBM IAM api key (refused), or empty
 * @param autoCreateBucket whether a missing bucket is created
 * @param checksums        when the SDK adds and checks flexible checksums
 */
public record S3Target(String endpoint, String region, String bucket, String accessKey, String secretKey,
                       String apiKey, boolean autoCreateBucket, ChecksumMode checksums) {

    /**
     * Checks the settings, so a route with bad ones fails before it starts.
     *
     * @throws IllegalArgumentException saying what is wrong and what to do
     */
    public S3Target {
        if (apiKey != null && !apiKey.isEmpty()) {
            throw new IllegalArgumentException("apiKey (IBM IAM) is not supported: Camel's aws2-s3 uses the AWS SDK v2,"
                    + " which cannot sign with IBM IAM tokens. Create HMAC credentials for the COS instance (service"
                    + " credential with {\"HMAC\":true}) and set accessKey and secretKey instead");
        }
        if (bucket == null || bucket.isEmpty()) {
            throw new IllegalArgumentException("the S3 bucket is empty");
        }
        if (!accessKey.isEmpty() && secretKey.isEmpty() || accessKey.isEmpty() && !secretKey.isEmpty()) {
            throw new IllegalArgumentException("set both accessKey and secretKey, or neither (the SDK's default"
                    + " credentials chain)");
        }
        if (!endpoint.isEmpty()) {
            try {
                URI u = new URI(endpoint);
                if (u.getScheme() == null || u.getHost() == null
                        || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                    throw new IllegalArgumentException("the S3 endpoint must be an http:// or https:// URL with a host,"
                            + " got '" + endpoint + "'");
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("the S3 endpoint is not a URL: '" + endpoint + "'", e);
            }
        }
    }

    /** The {@code aws2-s3:} URI of the endpoint; the client carries endpoint, region and credentials. */
    public String camelUri() {
        return "aws2-s3://" + bucket + "?autoCreateBucket=" + autoCreateBucket;
    }

    /** Where objects go, without credentials. */
    public String describe() {
        return "s3 " + (endpoint.isEmpty() ? "(AWS)" : endpoint) + " bucket " + bucket;
    }

    @Override
    public String toString() {
        return describe();
    }
}
