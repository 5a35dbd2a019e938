package io.caravan.skydive.write;

import java.util.Map;

/**
 * One finished object, ready to be written: the exporter's
 * {@code Write(bucket, key, data, contentType, contentEncoding, metadata)}.
 *
 * @param bucket          the bucket (for files and stdout: the first directory / the label)
 * @param key             the object key
 * @param data            the bytes, encoded and compressed
 * @param contentType     the encoder's content type
 * @param contentEncoding the compressor's content encoding, or null
 * @param metadata        user metadata ({@code x-amz-meta-*} on S3), in order
 * @param records         how many records the object holds
 */
public record StoredObject(String bucket, String key, byte[] data, String contentType, String contentEncoding,
                           Map<String, String> metadata, int records) {
}
