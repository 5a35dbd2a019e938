package io.caravan.skydive.write;

import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.aws2.s3.AWS2S3Endpoint;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the S3 client the store hands Camel's {@code aws2-s3} ({@code amazonS3Client}), so the
 * checksum mode is set per store instead of by JVM-wide system properties: path-style, the
 * endpoint override, static keys, an IBM IAM api key (bearer tokens, {@link IbmIamInterceptor}) or
 * the default credentials chain, the region.
 */
final class S3Clients {
    private S3Clients() {
    }

    /** A new, unstarted {@code aws2-s3} endpoint that writes with {@code client}; the caller starts and stops it. */
    static Endpoint endpoint(CamelContext camel, S3Target t, S3Client client) throws Exception {
        var component = camel.getComponent("aws2-s3", true);
        if (component == null) {
            throw new IllegalStateException("write=s3 needs Camel's aws2-s3 component (camel-aws2-s3) on the server"
                    + " class path");
        }
        // The client goes in with the parameters: the component refuses an endpoint without credentials.
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("amazonS3Client", client);
        Endpoint e = component.createEndpoint(t.camelUri(), parameters);
        if (((AWS2S3Endpoint) e).getConfiguration().getAmazonS3Client() != client) {
            throw new IllegalStateException("aws2-s3 did not take the store's S3 client");
        }
        return e;
    }

    static S3Client create(S3Target t, Clock clock) {
        boolean iam = !t.apiKey().isEmpty();
        AwsCredentialsProvider credentials = iam ? AnonymousCredentialsProvider.create()
                : t.accessKey().isEmpty() ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(t.accessKey(), t.secretKey()));
        boolean whenRequired = t.checksums() == ChecksumMode.WHEN_REQUIRED;
        var b = S3Client.builder()
                .region(Region.of(t.region()))
                .forcePathStyle(true)
                .credentialsProvider(credentials)
                .requestChecksumCalculation(whenRequired ? RequestChecksumCalculation.WHEN_REQUIRED
                        : RequestChecksumCalculation.WHEN_SUPPORTED)
                .responseChecksumValidation(whenRequired ? ResponseChecksumValidation.WHEN_REQUIRED
                        : ResponseChecksumValidation.WHEN_SUPPORTED);
        if (!t.endpoint().isEmpty()) {
            b.endpointOverride(URI.create(t.endpoint()));
        }
        if (iam) {
            IbmIamTokens tokens = new IbmIamTokens(URI.create(t.iamEndpoint()), t.apiKey(), clock);
            b.overrideConfiguration(c -> c.addExecutionInterceptor(new IbmIamInterceptor(tokens)));
        }
        return b.build();
    }
}
