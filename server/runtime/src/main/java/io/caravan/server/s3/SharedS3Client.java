package io.caravan.server.s3;

import java.net.URI;
import io.caravan.server.config.Setting;
import org.apache.camel.CamelContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 client routes reach as {@code #caravanS3Client} (Camel's aws2-s3 option
 * {@code amazonS3Client}), built on first use from the shared {@code caravan.s3.*} settings: a
 * custom endpoint (MinIO, Ceph, S3Proxy, IBM COS) or AWS itself when it is empty, path-style
 * addressing, static keys or the default credentials chain, the region, and the checksum mode
 * (S3 implementations that predate the SDK's default checksums need {@code when_required}). One
 * place, so every S3 route and plugin talks to the same store the same way. Nothing is built
 * while no route uses it.
 */
public final class SharedS3Client {
    public static final String BEAN = "caravanS3Client";

    private SharedS3Client() {
    }

    /** Binds the client lazily (built at the first lookup, then kept). */
    public static void bind(CamelContext camel) {
        camel.getRegistry().bind(BEAN, S3Client.class, () -> create(camel));
    }

    static S3Client create(CamelContext camel) {
        String endpoint = property(camel, Setting.S3_ENDPOINT);
        String region = property(camel, Setting.S3_REGION);
        String accessKey = property(camel, Setting.S3_ACCESS_KEY);
        String secretKey = property(camel, Setting.S3_SECRET_KEY);
        String checksums = property(camel, Setting.S3_CHECKSUMS);
        boolean whenRequired = switch (checksums) {
            case "when_required" -> true;
            case "when_supported" -> false;
            default -> throw new IllegalArgumentException("setting caravan.s3.checksums must be when_supported or"
                    + " when_required, got '" + checksums + "'");
        };
        AwsCredentialsProvider credentials = accessKey.isEmpty()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        var b = S3Client.builder()
                .region(Region.of(region.isEmpty() ? "us-east-1" : region))
                .forcePathStyle(!endpoint.isEmpty())
                .credentialsProvider(credentials)
                .requestChecksumCalculation(whenRequired ? RequestChecksumCalculation.WHEN_REQUIRED
                        : RequestChecksumCalculation.WHEN_SUPPORTED)
                .responseChecksumValidation(whenRequired ? ResponseChecksumValidation.WHEN_REQUIRED
                        : ResponseChecksumValidation.WHEN_SUPPORTED);
        if (!endpoint.isEmpty()) {
            b.endpointOverride(URI.create(endpoint));
        }
        return b.build();
    }

    private static String property(CamelContext camel, Setting s) {
        return camel.getPropertiesComponent().resolveProperty(s.key()).map(String::trim).orElse(s.defaultValue());
    }
}
