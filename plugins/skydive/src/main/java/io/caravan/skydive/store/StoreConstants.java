package io.caravan.skydive.store;

/** Names shared by the store component's classes. */
public final class StoreConstants {
    /** The URI scheme: {@code skydive-store:<name>?options}. */
    public static final String SCHEME = "skydive-store";
    /** The record attribute holding the classification tag. */
    public static final String TAG = "tag";
    /** The record attribute holding the transformed record (a Jackson ObjectNode, fields in output order). */
    public static final String RECORD = "skydive.record";
    /** The tag used for records that carry none. */
    public static final String UNTAGGED = "untagged";

    private StoreConstants() {
    }
}
