package io.caravan.skydive.store;

import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.StageOptions;
import io.caravan.skydive.compress.CompressType;
import io.caravan.skydive.encode.EncodeType;
import io.caravan.skydive.storeheader.HeaderType;
import io.caravan.skydive.storeheader.VpcLogsHeader;
import io.caravan.skydive.write.ChecksumMode;
import io.caravan.skydive.write.S3Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The settings of one {@code skydive-store:<name>?options} endpoint, bound against {@link #OPTIONS}
 * (the one place each option is described, bounded and defaulted: {@code caravan plugins}, the
 * admin API and the README table are made from them). The exporter's YAML keys map onto them:
 * {@code store.buffered.*} → the store options, {@code storeheader.*} → header/headerFields,
 * {@code encode.*} → encode/pretty, {@code compress.type} → compress, {@code write.s3.*} → the S3
 * options, {@code account.file.filename} → accountFile.
 */
public record StoreConfiguration(String name, StoreType type, String bucket, String prefix, int maxFlowsPerObject,
                                 Duration maxSecondsPerObject, Duration maxSecondsPerStream, int maxFlowArraySize,
                                 HeaderType header, Map<String, String> headerFields, EncodeType encode,
                                 boolean pretty, CompressType compress, WriteType write, S3Target s3,
                                 String directory, String writeUri, String accountFile, Duration accountPeriod,
                                 Duration checkInterval, Duration retryInitial, Duration retryMax,
                                 Duration stopTimeout) {

    static final OptionSpec TYPE = OptionSpec.choice("type", StoreType.class, StoreType.BUFFERED,
            "buffered: per tag, objects of up to maxFlowsPerObject flows at least every maxSecondsPerObject, retried"
            + " until written; direct: one object per tag per batch, written before the exchange goes on.");
    static final OptionSpec BUCKET = OptionSpec.required("bucket", OptionType.STRING,
            "The bucket objects go to (the exporter's store.buffered.dirname); for file and stdout, the first"
            + " directory / the label.");
    static final OptionSpec PREFIX = OptionSpec.string("prefix", "logs",
            "The first part of each key (filename_prefix): <prefix>/<tag>/<yyyyMMdd'T'HHmmss'Z'>/<seq %08d><suffix>;"
            + " empty for none.");
    static final OptionSpec MAX_FLOWS = OptionSpec.integer("maxFlowsPerObject", 6000,
            "Flush a tag once it holds this many flows; no object holds more.").min(1).max(1_000_000);
    static final OptionSpec MAX_SECONDS_OBJECT = OptionSpec.duration("maxSecondsPerObject", "60s",
            "Flush a tag that holds flows this long after its last flush, also when no flows arrive.")
            .min("1s").max("1d");
    static final OptionSpec MAX_SECONDS_STREAM = OptionSpec.duration("maxSecondsPerStream", "86400s",
            "Open a new stream (the key's time part, sequence from 0) this long after the tag's stream opened.")
            .min("1s").max("365d");
    static final OptionSpec MAX_ARRAY = OptionSpec.integer("maxFlowArraySize", 100_000,
            "Flows a tag may hold (for instance while the object store is down); past it the oldest are dropped and"
            + " counted.").min(1).max(10_000_000);
    static final OptionSpec HEADER = OptionSpec.choice("header", HeaderType.class, HeaderType.NONE,
            "Store header around each object's records: none (the list itself) or vpclogs (IBM VPC flow-log"
            + " header).");
    static final OptionSpec HEADER_FIELDS = OptionSpec.of("headerFields", OptionType.LIST, "",
            "key=value entries written first in a vpclogs header (the exporter's storeheader.vpclogs map).");
    static final OptionSpec ENCODE = OptionSpec.choice("encode", EncodeType.class, EncodeType.JSON,
            "json: the object as JSON (.json); secadvisor: {\"data\": object} (.json); csv: a header row and a row"
            + " per record (.csv, header=none only).");
    static final OptionSpec PRETTY = OptionSpec.bool("pretty", false,
            "Indent JSON by a tab per level (encode.json.pretty).");
    static final OptionSpec COMPRESS = OptionSpec.choice("compress", CompressType.class, CompressType.NONE,
            "none, or gzip (adds .gz to the key and Content-Encoding: gzip).");
    static final OptionSpec WRITE = OptionSpec.choice("write", WriteType.class, WriteType.S3,
            "Where objects go: s3 (Camel aws2-s3, path-style), stdout, file (under directory) or endpoint (writeUri).");
    static final OptionSpec S3_ENDPOINT = OptionSpec.string("s3Endpoint", "",
            "S3 endpoint URL for MinIO, IBM COS, S3Proxy (write.s3.endpoint); empty for AWS.");
    static final OptionSpec REGION = OptionSpec.string("region", "us-east-1", "S3 signing region (write.s3.region).");
    static final OptionSpec ACCESS_KEY = OptionSpec.string("accessKey", "",
            "S3 HMAC access key id (write.s3.access_key); empty with secretKey for the SDK's default credentials.");
    static final OptionSpec SECRET_KEY = OptionSpec.string("secretKey", "", "S3 HMAC secret key (write.s3.secret_key).");
    static final OptionSpec API_KEY = OptionSpec.string("apiKey", "",
            "IBM IAM api key for IBM COS (write.s3.api_key): requests carry an IAM bearer token; excludes accessKey.");
    static final OptionSpec IAM_ENDPOINT = OptionSpec.string("iamEndpoint", "https://iam.cloud.ibm.com/identity/token",
            "The IBM IAM token endpoint the api key is exchanged at (write.s3.iam_endpoint).");
    static final OptionSpec AUTO_CREATE = OptionSpec.bool("autoCreateBucket", false,
            "Create the S3 bucket when it is missing.");
    // Both spellings: caravan.s3.checksums (shared with the server's #caravanS3Client) writes when_required.
    static final OptionSpec CHECKSUMS = OptionSpec.choice("checksums", "when-required",
            "When the S3 client adds CRC checksums: when-required works with every S3 server; when-supported (the AWS"
            + " SDK's default) is rejected by S3Proxy, older IBM COS and Ceph. when_required and when_supported"
            + " (caravan.s3.checksums) are the same.",
            "when-required", "when-supported", "when_required", "when_supported");
    static final OptionSpec DIRECTORY = OptionSpec.string("directory", "",
            "write=file: the directory objects go under, as <directory>/<bucket>/<key>; empty for <plugin data"
            + " dir>/objects.");
    static final OptionSpec WRITE_URI = OptionSpec.string("writeUri", "",
            "write=endpoint: the Camel endpoint each object is sent to, body the bytes, with the aws2-s3 headers.");
    static final OptionSpec ACCOUNT_FILE = OptionSpec.string("accountFile", "",
            "A JSON file kept with the bytes and objects written, in total and this period (account.file.filename);"
            + " empty for meters only.");
    static final OptionSpec ACCOUNT_PERIOD = OptionSpec.duration("accountPeriod", "1d",
            "The accounting period, aligned to the epoch (1d: UTC days).").min("1s").max("366d");
    static final OptionSpec CHECK_INTERVAL = OptionSpec.duration("checkInterval", "1s",
            "How often the timer re-checks the buffers for objects due and retries due.").min("10ms").max("60s");
    static final OptionSpec RETRY_INITIAL = OptionSpec.duration("retryInitial", "1s",
            "The wait after a failed write before the first retry; it doubles with each failure.").min("10ms")
            .max("1h");
    static final OptionSpec RETRY_MAX = OptionSpec.duration("retryMax", "60s",
            "The longest wait between retries of a failing write.").min("10ms").max("1h");
    static final OptionSpec STOP_TIMEOUT = OptionSpec.duration("stopTimeout", "30s",
            "At a clean stop, how long to keep retrying the last writes before what is left is reported lost.")
            .min("0s").max("1h");

    /** Every option of the endpoint, in the order the docs list them. */
    static final List<OptionSpec> OPTIONS = List.of(TYPE, BUCKET, PREFIX, MAX_FLOWS, MAX_SECONDS_OBJECT,
            MAX_SECONDS_STREAM, MAX_ARRAY, HEADER, HEADER_FIELDS, ENCODE, PRETTY, COMPRESS, WRITE, S3_ENDPOINT, REGION,
            ACCESS_KEY, SECRET_KEY, API_KEY, IAM_ENDPOINT, AUTO_CREATE, CHECKSUMS, DIRECTORY, WRITE_URI, ACCOUNT_FILE, ACCOUNT_PERIOD,
            CHECK_INTERVAL, RETRY_INITIAL, RETRY_MAX, STOP_TIMEOUT);

    /**
     * The endpoint's settings from the URI's path (the store's name) and parameters.
     *
     * @throws OptionException naming the component and the option that is unknown, ill-typed, out of range or
     *                         inconsistent with another
     */
    static StoreConfiguration of(String remaining, Map<String, ?> parameters) throws OptionException {
        String scheme = StoreConstants.SCHEME;
        if (remaining == null || remaining.isBlank() || !remaining.matches("[A-Za-z0-9._-]+")) {
            throw new OptionException("component '" + scheme + "': needs a store name of letters, digits, '.', '_'"
                    + " and '-', as " + scheme + ":<name>; got '" + remaining + "'");
        }
        StageOptions o = StageOptions.bindComponent(scheme, OPTIONS, parameters);
        String bucket = o.getString(BUCKET.name());
        if (bucket.isBlank() || bucket.contains("/") || bucket.contains("..")) {
            throw new OptionException(fail("bucket", "must be a bucket name without '/' or '..', got '" + bucket + "'"));
        }
        String prefix = o.getString(PREFIX.name());
        if (prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("..")) {
            throw new OptionException(fail("prefix", "must not start or end with '/' or hold '..', got '" + prefix + "'"));
        }
        HeaderType header = o.getEnum(HEADER.name(), HeaderType.class);
        EncodeType encode = o.getEnum(ENCODE.name(), EncodeType.class);
        if (encode == EncodeType.CSV && header != HeaderType.NONE) {
            throw new OptionException(fail("encode", "csv writes rows of records and needs header=none"));
        }
        Map<String, String> fields;
        try {
            fields = VpcLogsHeader.parseFields(o.getList(HEADER_FIELDS.name()));
        } catch (IllegalArgumentException e) {
            throw new OptionException(fail("headerFields", e.getMessage()));
        }
        WriteType write = o.getEnum(WRITE.name(), WriteType.class);
        S3Target s3 = null;
        String apiKey = o.getString(API_KEY.name());
        if (write == WriteType.S3) {
            try {
                s3 = new S3Target(o.getString(S3_ENDPOINT.name()), o.getString(REGION.name()), bucket,
                        o.getString(ACCESS_KEY.name()), o.getString(SECRET_KEY.name()), apiKey,
                        o.getString(IAM_ENDPOINT.name()), o.getBoolean(AUTO_CREATE.name()), ChecksumMode.valueOf(o.getString(CHECKSUMS.name()).toUpperCase(java.util.Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                throw new OptionException(fail("write", e.getMessage()));
            }
        }
        String writeUri = o.getString(WRITE_URI.name());
        if (write == WriteType.ENDPOINT && writeUri.isBlank()) {
            throw new OptionException(fail("writeUri", "write=endpoint needs writeUri, the endpoint to send objects to"));
        }
        Duration retryInitial = o.getDuration(RETRY_INITIAL.name());
        Duration retryMax = o.getDuration(RETRY_MAX.name());
        if (retryMax.compareTo(retryInitial) < 0) {
            throw new OptionException(fail("retryMax", "must be at least retryInitial (" + retryInitial + ")"));
        }
        return new StoreConfiguration(remaining, o.getEnum(TYPE.name(), StoreType.class), bucket, prefix,
                o.getInt(MAX_FLOWS.name()), o.getDuration(MAX_SECONDS_OBJECT.name()),
                o.getDuration(MAX_SECONDS_STREAM.name()), o.getInt(MAX_ARRAY.name()), header, fields, encode,
                o.getBoolean(PRETTY.name()), o.getEnum(COMPRESS.name(), CompressType.class), write, s3,
                o.getString(DIRECTORY.name()), writeUri, o.getString(ACCOUNT_FILE.name()),
                o.getDuration(ACCOUNT_PERIOD.name()), o.getDuration(CHECK_INTERVAL.name()), retryInitial, retryMax,
                o.getDuration(STOP_TIMEOUT.name()));
    }

    private static String fail(String option, String why) {
        return "component '" + StoreConstants.SCHEME + "': option '" + option + "' " + why;
    }

    /** Never prints keys. */
    @Override
    public String toString() {
        return "StoreConfiguration[" + name + ", type=" + type + ", bucket=" + bucket + ", prefix=" + prefix
                + ", encode=" + encode + ", compress=" + compress + ", write=" + write + "]";
    }
}
