package io.caravan.skydive.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code encode secadvisor}: the security advisor's {@code {"data": <object>}} envelope, as JSON. */
public final class SecAdvisorEncoder implements Encoder {
    private final JsonEncoder json;

    public SecAdvisorEncoder(boolean pretty) {
        this.json = new JsonEncoder(pretty);
    }

    @Override
    public byte[] encode(JsonNode object) throws EncodeException {
        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        envelope.set("data", object);
        return json.encode(envelope);
    }

    @Override
    public String contentType() {
        return json.contentType();
    }

    @Override
    public String suffix() {
        return json.suffix();
    }
}
