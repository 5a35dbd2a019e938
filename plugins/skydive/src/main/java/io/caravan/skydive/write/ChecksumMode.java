package io.caravan.skydive.write;

/**
 * When the AWS SDK adds and checks flexible (CRC32) checksums. The SDK's own default since 2.30,
 * {@code WHEN_SUPPORTED}, sends them in aws-chunked trailers that AWS S3 and MinIO accept but
 * S3Proxy, older IBM COS and Ceph gateways reject; {@code WHEN_REQUIRED} (the SDK's behaviour
 * before 2.30) works with all of them.
 */
public enum ChecksumMode {
    WHEN_REQUIRED,
    WHEN_SUPPORTED
}
