package io.caravan.pipeline.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.caravan.api.flow.FlowRecord;
import io.caravan.pipeline.encoding.BatchEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Writes and reads {@link FlowRecord}s as JSON lines in the {@link FlowField} format. Thread-safe:
 * every call uses its own parser or generator over one shared factory.
 *
 * <p>The factory keeps its buffer pool to itself rather than in Jackson's default thread-locals,
 * which would hold this plugin's (relocated) classes on Camel's threads after the plugin unloads.
 */
final class FlowJson {
    private static final byte[] ATTRIBUTES_NAME = (",\"" + FlowField.ATTRIBUTES + "\":").getBytes(StandardCharsets.US_ASCII);
    /** Encoder states kept for reuse: one per thread that encodes at once (a route's reader or worker threads). */
    private static final int SCRATCH_SLOTS = 8;
    /** A scratch array larger than this (a batch of unusual size) is not kept. */
    private static final int SCRATCH_MAX_BYTES = 8 << 20;

    /**
     * The arrays {@link #encode(List, boolean, boolean)} writes into before the one exact copy it
     * returns, so a batch allocates only that copy, each with its writer's state (which encoding
     * into a caller's array takes too); taken and given back without locks
     * (an empty slot means a new one).
     */
    private final AtomicReferenceArray<Scratch> scratch = new AtomicReferenceArray<>(SCRATCH_SLOTS);

    private final JsonFactory factory = new JsonFactoryBuilder()
            .rootValueSeparator((String) null)
            .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
            .build();

    /** One thread's encoder state while it encodes a batch: the array written into and the writer. */
    private static final class Scratch {
        byte[] buf = new byte[FlowWriter.MAX_SIZE + 2];
        final FlowWriter writer = new FlowWriter();
    }

    /**
     * Each record as one object line ending in '\n', UTF-8, by {@link FlowWriter} into one array.
     * Only a record's attributes go through Jackson. With {@code omitZero}, numbers equal to 0 and
     * all-zero MACs are left out.
     */
    byte[] encode(List<FlowRecord> records, boolean attributes, boolean omitZero) throws IOException {
        // A reused array, doubled until the batch fits, so in a steady state the one exact copy
        // returned is all a batch allocates.
        Scratch s = takeScratch();
        try {
            int p;
            while ((p = encode(records, attributes, omitZero, s.writer, s.buf, 0)) == BatchEncoder.DOES_NOT_FIT) {
                s.buf = new byte[grown(s.buf.length)];
            }
            return Arrays.copyOf(s.buf, p);
        } finally {
            giveScratch(s);
        }
    }

    /**
     * {@link #encode(List, boolean, boolean)} at {@code b[off]}, up to {@code b.length}: the
     * position after the last line, or {@link BatchEncoder#DOES_NOT_FIT} once the room left is less
     * than a record at its largest ({@link FlowWriter#MAX_SIZE}) or its attributes take.
     */
    int encode(List<FlowRecord> records, boolean attributes, boolean omitZero, byte[] b, int off) throws IOException {
        Scratch s = takeScratch();
        try {
            return encode(records, attributes, omitZero, s.writer, b, off);
        } finally {
            giveScratch(s);
        }
    }

    private int encode(List<FlowRecord> records, boolean attributes, boolean omitZero, FlowWriter w, byte[] b, int off)
            throws IOException {
        int n = records.size();
        w.begin(omitZero);
        int p = off;
        for (int i = 0; i < n; i++) {
            if (b.length - p < FlowWriter.MAX_SIZE + 2) {
                return BatchEncoder.DOES_NOT_FIT;
            }
            FlowRecord r = records.get(i);
            int start = p;
            p = w.write(r, b, p);
            if (attributes && !r.attributes().isEmpty()) {
                byte[] a = attributes(r);
                if (b.length - p < ATTRIBUTES_NAME.length + a.length + 2) {
                    return BatchEncoder.DOES_NOT_FIT;
                }
                System.arraycopy(ATTRIBUTES_NAME, 0, b, p, ATTRIBUTES_NAME.length);
                p += ATTRIBUTES_NAME.length;
                System.arraycopy(a, 0, b, p, a.length);
                p += a.length;
            }
            if (p > start) {
                b[start] = '{'; // over the first member's ','
            } else {
                b[p++] = '{';
            }
            b[p++] = '}';
            b[p++] = '\n';
        }
        return p;
    }

    private Scratch takeScratch() {
        for (int i = 0; i < SCRATCH_SLOTS; i++) {
            Scratch s = scratch.getAndSet(i, null);
            if (s != null) {
                return s;
            }
        }
        return new Scratch();
    }

    /** Keeps {@code s} for reuse in an empty slot, or in place of one with a smaller array; else lets it go. */
    private void giveScratch(Scratch s) {
        if (s.buf.length > SCRATCH_MAX_BYTES) {
            return;
        }
        for (int i = 0; i < SCRATCH_SLOTS; i++) {
            Scratch kept = scratch.get(i);
            if ((kept == null || kept.buf.length < s.buf.length) && scratch.compareAndSet(i, kept, s)) {
                return;
            }
        }
    }

    /** The next size of a scratch array a batch did not fit in: twice as large, within what an array can be. */
    private static int grown(int length) {
        if (length >= Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a batch's JSON lines take more than " + length + " bytes");
        }
        return (int) Math.min(Integer.MAX_VALUE - 8, 2L * length);
    }

    /** The record's attribute object, by Jackson: the slow path, for the rare record that has attributes. */
    byte[] attributes(FlowRecord r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = factory.createGenerator(out)) {
            writeAttributes(r, g);
        }
        return out.toByteArray();
    }

    private static void writeAttributes(FlowRecord r, JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Object> e : r.attributes().entrySet()) {
            g.writeFieldName(e.getKey());
            writeAttribute(e.getValue(), g);
        }
        g.writeEndObject();
    }

    /**
     * Strings, booleans and numbers as themselves, lists (an AS path, communities) as arrays and
     * maps as objects; anything else as its {@code toString}.
     */
    private static void writeAttribute(Object v, JsonGenerator g) throws IOException {
        if (v instanceof java.util.Collection<?> c) {
            g.writeStartArray();
            for (Object item : c) {
                writeAttribute(item, g);
            }
            g.writeEndArray();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeAttribute(e.getValue(), g);
            }
            g.writeEndObject();
        } else if (v == null) {
            g.writeNull();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else {
            g.writeString(v.toString());
        }
    }

    /**
     * Reads the one object on {@code len} bytes at {@code off}. Attribute numbers read back as
     * {@code Long} (or {@code BigInteger} beyond it) and {@code Double}.
     *
     * @throws IOException        the bytes are not well-formed JSON
     * @throws JsonLineException  the JSON is not a flow record
     */
    FlowRecord decode(byte[] buf, int off, int len) throws IOException, JsonLineException {
        try (JsonParser p = factory.createParser(buf, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonLineException("expected a JSON object; got " + p.getText());
            }
            FlowRecord r = new FlowRecord();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (FlowField.ATTRIBUTES.equals(name)) {
                    readAttributes(p, r);
                    continue;
                }
                FlowField field = FlowField.named(name);
                if (field == null) {
                    throw new JsonLineException("unknown field '" + name + "'");
                }
                if (value != JsonToken.VALUE_NULL) {
                    field.codec.read(p, r);
                }
            }
            if (p.nextToken() != null) {
                throw new JsonLineException("unexpected " + p.getText() + " after the object");
            }
            return r;
        }
    }

    private static void readAttributes(JsonParser p, FlowRecord r) throws IOException, JsonLineException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            throw new JsonLineException("field '" + FlowField.ATTRIBUTES + "' expects an object; got " + p.getText());
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            r.attribute(key, readValue(p, key));
        }
    }

    /** One attribute value at the current token: scalars, and arrays and objects of them (read back as List and Map). */
    private static Object readValue(JsonParser p, String key) throws IOException, JsonLineException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? p.getBigIntegerValue() : (Object) p.getLongValue();
            case START_ARRAY -> {
                List<Object> list = new java.util.ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(p, key));
                }
                yield list;
            }
            case START_OBJECT -> {
                Map<String, Object> map = new java.util.LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    map.put(name, readValue(p, key));
                }
                yield map;
            }
            default -> throw new JsonLineException("attribute '" + key + "' has an unexpected token " + p.getText());
        };
    }
}
