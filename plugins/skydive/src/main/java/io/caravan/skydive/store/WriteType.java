package io.caravan.skydive.store;

/** The {@code write} choices of the store. */
public enum WriteType {
    /** Camel's aws2-s3, from the s3Endpoint/region/accessKey/secretKey options. */
    S3,
    /** Standard output: {@code --- bucket/key ---} and the content. */
    STDOUT,
    /** Files under {@code directory}/bucket/key. */
    FILE,
    /** Any Camel endpoint named by {@code writeUri}, with the aws2-s3 headers. */
    ENDPOINT
}
