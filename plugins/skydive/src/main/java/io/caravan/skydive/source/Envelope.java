package io.caravan.skydive.source;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One analyzer message, from either envelope (spec §1.3): JSON in a text frame, or the protobuf
 * {@code StructMessage} in a binary frame whose {@code Obj} is still JSON.
 *
 * @param namespace {@code flow}, {@code flow/<capture id>}, {@code stats}, ...
 * @param type      {@code store} for flows; anything else is not flows
 * @param uuid      the message id
 * @param status    the HTTP-like status (200)
 * @param obj       the payload: for {@code store}, the array of flows; a missing node when absent
 */
public record Envelope(String namespace, String type, String uuid, long status, JsonNode obj) {
    public static final String STORE = "store";

    public boolean isStore() {
        return STORE.equals(type);
    }
}
