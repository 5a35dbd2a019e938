package io.caravan.pipeline.flowfile;

/** Names the flowfile component shares with its users. */
public final class FlowFileConstants {
    /** The URI scheme: {@code flowfile:<directory>?options}. */
    public static final String SCHEME = "flowfile";
    /** What an open file's name ends with, after a leading '.': {@code .<name>.inprogress}. */
    public static final String IN_PROGRESS_SUFFIX = ".inprogress";
    /** What a gzip-compressed file's name ends with, after the configured suffix. */
    public static final String GZIP_SUFFIX = ".gz";

    private FlowFileConstants() {
    }
}
