package io.caravan.pipeline.flowfile;

import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.StageOptions;
import io.caravan.pipeline.encoding.BatchEncoder;
import io.caravan.pipeline.json.JsonLinesEncoder;
import io.caravan.pipeline.protobuf.DelimitedProtobufEncoder;
import java.util.List;
import java.util.Map;

/**
 * The settings of one {@code flowfile:<directory>?options} endpoint: the directory from the URI's
 * path, the options bound against {@link #OPTIONS} by {@link StageOptions#bindComponent}, so an
 * unknown, ill-typed or out-of-range option fails the endpoint with the same kind of message a
 * stage option does. The specs are the one place each option is described, bounded and given its
 * default ({@code caravan plugins}, the admin API and the README table are made from them).
 *
 * @param directory     the directory the files are written to, as the URI gives it
 * @param prefix        the start of each file name
 * @param suffix        the end of each file name, before {@code .gz}
 * @param rotateSeconds how long a file stays open
 * @param rotateBytes   how large a file may grow on disk
 * @param compression   how each body is compressed: none, or one gzip member or zstd frame per body
 * @param fsync         whether a closed file and its directory are forced to disk
 * @param bufferSize    how many bytes of whole bodies are kept in memory before they are written; 0 writes each
 *                      body as it comes
 * @param flushMillis   how long a body may wait in that buffer before it is written
 * @param format        the format the endpoint writes a FlowBatch body in itself, or null: the body is bytes
 *                      already encoded
 * @param attributes    with format json: whether each record's attribute map is written
 * @param omitZero      with format json: whether numbers equal to 0 and all-zero MACs are left out
 */
public record FlowFileConfiguration(String directory, String prefix, String suffix, int rotateSeconds,
                                    long rotateBytes, Compression compression, boolean fsync, int bufferSize,
                                    int flushMillis, Format format, boolean attributes, boolean omitZero) {

    /** How bodies are compressed, and the suffix that says so. */
    public enum Compression {
        NONE(""), GZIP(".gz"), ZSTD(".zst");

        private final String suffix;

        Compression(String suffix) {
            this.suffix = suffix;
        }

        public String suffix() {
            return suffix;
        }
    }

    /** The formats the endpoint encodes a FlowBatch body in, as the encode stage's {@code format} names them. */
    public enum Format { JSON, PROTOBUF }

    static final OptionSpec PREFIX = OptionSpec.string("prefix", "flows", "The start of each file name, before"
            + " -yyyyMMdd-HHmmss-NNNN (the UTC time the file was opened and a sequence number); not empty, no '/' and"
            + " no leading '.'.");
    static final OptionSpec SUFFIX = OptionSpec.string("suffix", ".jsonl", "The end of each file name (.gz or .zst is"
            + " added after it when compressed); no '/'.");
    static final OptionSpec ROTATE_SECONDS = OptionSpec.integer("rotateSeconds", 60, "Close a file and start the next"
            + " this many seconds after it was opened, also when no data arrives.").min(1).max(86_400);
    static final OptionSpec ROTATE_BYTES = OptionSpec.size("rotateBytes", "128MiB", "Close a file and start the next"
            + " before a write would make it larger than this (as written to disk); a larger body gets a file of its"
            + " own.").min(1);
    static final OptionSpec COMPRESSION = OptionSpec.choice("compression", Compression.class, Compression.NONE,
            "Compress: none, gzip (each body one gzip member of a .gz file) or zstd (each body one zstd frame of a .zst"
                    + " file; about gzip's size at several times its speed).");
    static final OptionSpec FSYNC = OptionSpec.bool("fsync", false, "Force each file and its directory to disk when"
            + " the file is closed, before and after the rename.");
    static final OptionSpec BUFFER_SIZE = OptionSpec.size("bufferSize", "1MiB", "Keep up to this many bytes of whole"
            + " bodies (compressed when compression is on) in memory and write them with one call when the next body"
            + " would not fit, when the file is closed and after flushMillis; 0 writes each body as it comes. A larger"
            + " body is written straight.").min(0).max("64MiB");
    static final OptionSpec FLUSH_MILLIS = OptionSpec.integer("flushMillis", 1000, "The longest a body waits in the"
            + " buffer before it is written to the file, in milliseconds (readers tailing the file see it about this"
            + " late).").min(1).max(600_000);
    static final OptionSpec FORMAT = OptionSpec.choice("format", Format.class, null, "Take a FlowBatch body and write it"
            + " straight into the buffer as json (JSON lines, as encode-json) or protobuf (length-delimited FlowMessages,"
            + " as encode-protobuf): the bytes stage:encode?format=... would give, without an array per batch. Unset: the"
            + " body is bytes already encoded.");
    static final OptionSpec ATTRIBUTES = OptionSpec.bool("attributes", true, "With format json: include each"
            + " record's attribute map (tags, enrichment), as encode-json's attributes.");
    static final OptionSpec OMIT_ZERO = OptionSpec.bool("omitZero", false, "With format json: leave out numbers equal"
            + " to 0 and all-zero MACs, as encode-json's omitZero; protobuf never writes them.");
    /** Every option of the endpoint, in the order the docs list them. */
    static final List<OptionSpec> OPTIONS = List.of(PREFIX, SUFFIX, ROTATE_SECONDS, ROTATE_BYTES, COMPRESSION, FSYNC,
            BUFFER_SIZE, FLUSH_MILLIS, FORMAT, ATTRIBUTES, OMIT_ZERO);

    /**
     * The endpoint's settings from the URI's path and parameters.
     *
     * @param remaining  the URI after the scheme: the directory
     * @param parameters the URI's options, as Camel passes them
     * @throws IllegalArgumentException when the directory is missing
     * @throws OptionException          naming the component and the option that is unknown, ill-typed, out of range
     *                                  or not usable in a file name
     */
    static FlowFileConfiguration of(String remaining, Map<String, ?> parameters) throws OptionException {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException(FlowFileConstants.SCHEME + ": needs a directory, as "
                    + FlowFileConstants.SCHEME + ":<directory>");
        }
        StageOptions o = StageOptions.bindComponent(FlowFileConstants.SCHEME, OPTIONS, parameters);
        String prefix = o.getString(PREFIX.name());
        String suffix = o.getString(SUFFIX.name());
        // Rules of file names, beyond what an option's type and bounds say.
        if (prefix.isEmpty() || prefix.startsWith(".") || hasSeparator(prefix)) {
            throw new OptionException("component '" + FlowFileConstants.SCHEME + "': option 'prefix' must be a non-empty"
                    + " file name part that starts with no '.' and has no '/'; got '" + prefix + "'");
        }
        if (hasSeparator(suffix)) {
            throw new OptionException("component '" + FlowFileConstants.SCHEME + "': option 'suffix' must have no '/';"
                    + " got '" + suffix + "'");
        }
        return new FlowFileConfiguration(remaining, prefix, suffix, o.getInt(ROTATE_SECONDS.name()),
                o.getSize(ROTATE_BYTES.name()), o.getEnum(COMPRESSION.name(), Compression.class), o.getBoolean(FSYNC.name()),
                Math.toIntExact(o.getSize(BUFFER_SIZE.name())), o.getInt(FLUSH_MILLIS.name()),
                o.has(FORMAT.name()) ? o.getEnum(FORMAT.name(), Format.class) : null, o.getBoolean(ATTRIBUTES.name()),
                o.getBoolean(OMIT_ZERO.name()));
    }

    /** What encodes a FlowBatch body for {@link #format()}, or null when bodies come encoded. */
    BatchEncoder encoder() {
        if (format == null) {
            return null;
        }
        return switch (format) {
            case JSON -> new JsonLinesEncoder(attributes, omitZero);
            case PROTOBUF -> new DelimitedProtobufEncoder();
        };
    }

    private static boolean hasSeparator(String s) {
        return s.indexOf('/') >= 0 || s.indexOf('\\') >= 0 || s.indexOf('\0') >= 0;
    }
}
