package io.caravan.pipeline.flowfile;

/** Names the flowfile component shares with its users. */
public final class FlowFileConstants {
    /** The URI scheme: {@code flowfile:<directory>?options}. */
    public static final String SCHEME = "flowfile";
    /** What an open file's name ends with, after a leading '.': {@code .<name>.inprogress}. */
    public static final String IN_PROGRESS_SUFFIX = ".inprogress";
    /** Counter: bytes written to files, as on disk (when written, not when buffered), tagged {@code endpoint}. */
    public static final String METER_BYTES = "caravan.flowfile.bytes";
    /** Counter: files closed and renamed to their final name, tagged {@code endpoint}. */
    public static final String METER_FILES = "caravan.flowfile.files";
    /** Counter: failed attempts to open a file or write to it, tagged {@code endpoint}. */
    public static final String METER_WRITE_ERRORS = "caravan.flowfile.write.errors";
    /** The tag naming the endpoint: {@code flowfile:} and its absolute directory. */
    public static final String TAG_ENDPOINT = "endpoint";

    private FlowFileConstants() {
    }
}
