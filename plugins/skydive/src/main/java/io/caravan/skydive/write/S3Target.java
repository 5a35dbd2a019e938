package io.caravan.skydive.write;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The exporter's {@code write.s3} settings, turned into Camel {@code aws2-s3} endpoint URI:
 * always path-style, a custom endpoint when one is given (MinIO, IBM COS, S3Proxy), static HMAC
 * keys or else the SDK's default credentials chain (AWS roles, environment), and the region.
 *
 * <p>With an IBM IAM {@code api_key} (IBM COS), requests carry an IAM bearer token instead of a
 * signature, as IBM's own SDK sends them; it needs the COS endpoint and excludes HMAC keys.
 *
 * @param endpoint         the S3 endpoint URL ({@code http://127.0.0.1:9000}); empty for AWS itself
 * @param region           the signing region
 * @param bucket           the bucket
 * @param accessKey        the HMAC access key id, or empty for the default credentials chain
 * @param secretKey        the HMAC secret
 * @param apiKey           an IBM IAM api key, or empty
 * @param iamEndpoint      the IAM token endpoint the api key is exchanged at
 * @param autoCreateBucket whether a missing bucket is created
 * @param checksums        when the SDK adds and checks flexible checksums
 */
public record S3Target(String endpoint, String region, String bucket, String accessKey, String secretKey,
                       String apiKey, String iamEndpoint, boolean autoCreateBucket, ChecksumMode checksums) {

    /**
     * Checks the settings, so a route with bad ones fails before it starts.
     *
     * @throws IllegalArgumentException saying what is wrong and what to do
     */
    public S3Target {
        if (!apiKey.isEmpty()) {
            if (!accessKey.isEmpty() || !secretKey.isEmpty()) {
                throw new IllegalArgumentException("set either apiKey (IBM IAM) or accessKey and secretKey (HMAC), not"
                        + " both");
            }
            if (endpoint.isEmpty()) {
                throw new IllegalArgumentException("apiKey (IBM IAM) is for IBM COS: set s3Endpoint to the COS endpoint,"
                        + " e.g. https://s3.us-south.cloud-object-storage.appdomain.cloud");
            }
            checkUrl("iamEndpoint", iamEndpoint);
        }
        if (bucket == null || bucket.isEmpty()) {
            throw new IllegalArgumentException("the S3 bucket is empty");
        }
        if (!accessKey.isEmpty() && secretKey.isEmpty() || accessKey.isEmpty() && !secretKey.isEmpty()) {
            throw new IllegalArgumentException("set both accessKey and secretKey, or neither (the SDK's default"
                    + " credentials chain)");
        }
        if (!endpoint.isEmpty()) {
            checkUrl("the S3 endpoint", endpoint);
        }
    }

    private static void checkUrl(String what, String url) {
        try {
            URI u = new URI(url);
            if (u.getScheme() == null || u.getHost() == null
                    || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                throw new IllegalArgumentException(what + " must be an http:// or https:// URL with a host, got '"
                        + url + "'");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + " is not a URL: '" + url + "'", e);
        }
    }

    /** The {@code aws2-s3:} URI of the endpoint; the client carries endpoint, region and credentials. */
    public String camelUri() {
        return "aws2-s3://" + bucket + "?autoCreateBucket=" + autoCreateBucket;
    }

    /** Where objects go, without credentials. */
    public String describe() {
        return "s3 " + (endpoint.isEmpty() ? "(AWS)" : endpoint) + " bucket " + bucket + (apiKey.isEmpty() ? ""
                : " (IBM IAM)");
    }

    @Override
    public String toString() {
        return describe();
    }
}
