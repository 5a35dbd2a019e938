package io.caravan.skydive.transform;

/**
 * The record attributes the Skydive stages share with the store and encode side: the tag set by
 * classify, and the output record a transform or mangle built (an ObjectNode, fields in output
 * order). A record without {@link #RECORD} is written as its Skydive flow ({@code source()}).
 */
public final class SkydiveRecords {
    /** The classification tag: internal, egress, ingress or other (the pipeline classify's attribute). */
    public static final String TAG = "tag";
    /** The transformed output record, a Jackson ObjectNode. */
    public static final String RECORD = "skydive.record";

    private SkydiveRecords() {
    }
}
