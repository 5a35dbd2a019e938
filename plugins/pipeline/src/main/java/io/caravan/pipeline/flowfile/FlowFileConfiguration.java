package io.caravan.pipeline.flowfile;

import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/**
 * The options of one {@code flowfile:} endpoint, bound from the URI by Camel (an unknown option
 * fails the endpoint the way it does for every Camel component). The annotations are the one
 * place each option is described; the README's option table is checked against them.
 */
@UriParams
public class FlowFileConfiguration {
    @UriPath(description = "The directory the files are written to; created when missing. A relative path resolves"
            + " against the server's working directory.")
    @Metadata(required = true)
    private String directory;

    @UriParam(defaultValue = "flows", description = "The start of each file name, before -yyyyMMdd-HHmmss-NNNN"
            + " (the UTC time the file was opened and a sequence number).")
    private String prefix = "flows";

    @UriParam(defaultValue = ".jsonl", description = "The end of each file name (.gz is added after it when gzip is on).")
    private String suffix = ".jsonl";

    @UriParam(defaultValue = "60", description = "Close a file and start the next this many seconds after it was"
            + " opened, also when no data arrives.")
    private int rotateSeconds = 60;

    @UriParam(defaultValue = "134217728", description = "Close a file and start the next before a write would make"
            + " it larger than this many bytes (as written to disk); a larger body gets a file of its own.")
    private long rotateBytes = 134_217_728L;

    @UriParam(defaultValue = "false", description = "Compress: each body becomes one gzip member of a .gz file.")
    private boolean gzip;

    @UriParam(defaultValue = "false", description = "Force each file and its directory to disk when the file is"
            + " closed, before and after the rename.")
    private boolean fsync;

    public String getDirectory() {
        return directory;
    }

    public void setDirectory(String directory) {
        this.directory = directory;
    }

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    public String getSuffix() {
        return suffix;
    }

    public void setSuffix(String suffix) {
        this.suffix = suffix;
    }

    public int getRotateSeconds() {
        return rotateSeconds;
    }

    public void setRotateSeconds(int rotateSeconds) {
        this.rotateSeconds = rotateSeconds;
    }

    public long getRotateBytes() {
        return rotateBytes;
    }

    public void setRotateBytes(long rotateBytes) {
        this.rotateBytes = rotateBytes;
    }

    public boolean isGzip() {
        return gzip;
    }

    public void setGzip(boolean gzip) {
        this.gzip = gzip;
    }

    public boolean isFsync() {
        return fsync;
    }

    public void setFsync(boolean fsync) {
        this.fsync = fsync;
    }

    /** @throws IllegalArgumentException naming the option and what is wrong with its value */
    void validate() {
        if (directory == null || directory.isBlank()) {
            throw new IllegalArgumentException(FlowFileConstants.SCHEME + ": needs a directory, as "
                    + FlowFileConstants.SCHEME + ":<directory>");
        }
        if (prefix == null || prefix.isEmpty() || prefix.startsWith(".") || hasSeparator(prefix)) {
            throw new IllegalArgumentException(FlowFileConstants.SCHEME + ": option 'prefix' must be a non-empty file"
                    + " name part that starts with no '.' and has no '/'; got '" + prefix + "'");
        }
        if (suffix == null || hasSeparator(suffix)) {
            throw new IllegalArgumentException(FlowFileConstants.SCHEME + ": option 'suffix' must have no '/'; got '"
                    + suffix + "'");
        }
        if (rotateSeconds < 1) {
            throw new IllegalArgumentException(FlowFileConstants.SCHEME + ": option 'rotateSeconds' must be at least 1;"
                    + " got " + rotateSeconds);
        }
        if (rotateBytes < 1) {
            throw new IllegalArgumentException(FlowFileConstants.SCHEME + ": option 'rotateBytes' must be at least 1;"
                    + " got " + rotateBytes);
        }
    }

    private static boolean hasSeparator(String s) {
        return s.indexOf('/') >= 0 || s.indexOf('\\') >= 0 || s.indexOf('\0') >= 0;
    }
}
