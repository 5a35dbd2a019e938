package io.caravan.skydive.storeheader;

import java.util.Map;

/** The {@code header} choices of the store. */
public enum HeaderType {
    NONE,
    VPCLOGS;

    /** The header of this type; {@code userFields} only matter to vpclogs. */
    public StoreHeader create(Map<String, String> userFields) {
        return this == NONE ? new NoHeader() : new VpcLogsHeader(userFields);
    }
}
