package io.caravan.skydive.source;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * Reads both analyzer envelopes (spec §1.3). The frame kind decides which, whatever the endpoint
 * asked for: a text frame is the JSON envelope, a binary frame the protobuf {@code StructMessage}
 * ({@code 1 Namespace, 2 Type, 3 UUID, 4 Status, 5 Format, 6 Obj}), whose {@code Obj} is the same
 * JSON payload ({@code Format} 0). Stateless and thread-safe.
 */
public final class EnvelopeDecoder {
    private static final int FORMAT_JSON = 0;

    private final ObjectMapper json;

    public EnvelopeDecoder(ObjectMapper json) {
        this.json = json;
    }

    /** The JSON envelope of a text frame. */
    public Envelope decodeText(String text) throws MalformedEnvelopeException {
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JacksonException e) {
            throw new MalformedEnvelopeException("a text frame is not JSON: " + shortMessage(e));
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEnvelopeException("a text frame is JSON but not an object");
        }
        JsonNode type = root.get("Type");
        if (type == null || !type.isTextual()) {
            throw new MalformedEnvelopeException("a message has no Type");
        }
        JsonNode obj = root.path("Obj");
        return check(new Envelope(root.path("Namespace").asText(""), type.asText(), root.path("UUID").asText(""),
                root.path("Status").asLong(0), obj));
    }

    /** The protobuf envelope of a binary frame. */
    public Envelope decodeBinary(byte[] frame, int offset, int length) throws MalformedEnvelopeException {
        ProtoReader in = new ProtoReader(frame, offset, length);
        String namespace = "";
        String type = null;
        String uuid = "";
        long status = 0;
        long format = FORMAT_JSON;
        JsonNode obj = MissingNode.getInstance();
        while (in.hasMore()) {
            long tag = in.readTag();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (field) {
                case 1, 2, 3 -> {
                    expect(wire, ProtoReader.LENGTH_DELIMITED, field);
                    String s = in.readString();
                    if (field == 1) {
                        namespace = s;
                    } else if (field == 2) {
                        type = s;
                    } else {
                        uuid = s;
                    }
                }
                case 4 -> {
                    expect(wire, ProtoReader.VARINT, field);
                    status = in.readVarint();
                }
                case 5 -> {
                    expect(wire, ProtoReader.VARINT, field);
                    format = in.readVarint();
                }
                case 6 -> {
                    expect(wire, ProtoReader.LENGTH_DELIMITED, field);
                    int len = in.readLength();
                    int at = in.position();
                    in.advance(len);
                    obj = len == 0 ? MissingNode.getInstance() : parseObj(frame, at, len);
                }
                default -> in.skip(wire);
            }
        }
        if (type == null) {
            throw new MalformedEnvelopeException("a binary frame has no Type (field 2); is it a protobuf StructMessage?");
        }
        if (format != FORMAT_JSON) {
            throw new MalformedEnvelopeException("a " + type + " message has Format " + format
                    + "; only JSON payloads (Format 0) are known to the analyzer's flow subscriber");
        }
        return check(new Envelope(namespace, type, uuid, status, obj));
    }

    private JsonNode parseObj(byte[] frame, int at, int len) throws MalformedEnvelopeException {
        try {
            JsonNode n = json.readTree(frame, at, len);
            return n == null ? MissingNode.getInstance() : n;
        } catch (java.io.IOException e) {
            throw new MalformedEnvelopeException("the Obj of a binary frame is not JSON: " + shortMessage(e));
        }
    }

    private static Envelope check(Envelope e) throws MalformedEnvelopeException {
        if (e.isStore() && !e.obj().isArray()) {
            throw new MalformedEnvelopeException("a store message on '" + e.namespace() + "' has an Obj that is not"
                    + " an array of flows");
        }
        return e;
    }

    private static void expect(int wire, int wanted, int field) throws MalformedEnvelopeException {
        if (wire != wanted) {
            throw new MalformedEnvelopeException("protobuf field " + field + " has wire type " + wire + ", not "
                    + wanted);
        }
    }

    /** Jackson's first line, without the echoed source excerpt. */
    private static String shortMessage(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
