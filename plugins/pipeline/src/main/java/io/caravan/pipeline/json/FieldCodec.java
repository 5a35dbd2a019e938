package io.caravan.pipeline.json;

import io.caravan.api.net.AddressText;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import java.util.function.ObjLongConsumer;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * How one {@link FlowField} is read, and the record accessors its value is written from (by
 * {@link FlowWriter}). A JSON {@code null} reads as absent (the default).
 */
sealed interface FieldCodec {

    /** Reads the value at the parser's current token (not null) into the record. */
    void read(JsonParser p, FlowRecord r) throws IOException, JsonLineException;

    /** An unsigned 64-bit value in a long; read from a number, or from a decimal string as protobuf JSON writes it. */
    record U64(ToLongFunction<FlowRecord> get, ObjLongConsumer<FlowRecord> set) implements FieldCodec {
        private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);


        @Override
        public void read(JsonParser p, FlowRecord r) throws IOException, JsonLineException {
            long v;
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    BigInteger b = p.getBigIntegerValue();
                    if (b.signum() < 0 || b.compareTo(MAX) > 0) {
                        throw outOfRange(p);
                    }
                    v = b.longValue();
                } else {
                    v = p.getLongValue();
                    if (v < 0) {
                        throw outOfRange(p);
                    }
                }
            } else if (p.currentToken() == JsonToken.VALUE_STRING) {
                try {
                    v = Long.parseUnsignedLong(p.getText());
                } catch (NumberFormatException e) {
                    throw outOfRange(p);
                }
            } else {
                throw expected(p, "an unsigned integer");
            }
            set.accept(r, v);
        }

        private static JsonLineException outOfRange(JsonParser p) throws IOException {
            return new JsonLineException("field '" + p.currentName() + "': " + p.getText()
                    + " is not an integer in 0.." + MAX);
        }
    }

    /** A small unsigned value held in an int (ports, protocol, flags...). */
    record I32(ToIntFunction<FlowRecord> get, ObjIntConsumer<FlowRecord> set) implements FieldCodec {

        @Override
        public void read(JsonParser p, FlowRecord r) throws IOException, JsonLineException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw expected(p, "an integer");
            }
            if (p.getNumberType() != JsonParser.NumberType.INT) {
                throw new JsonLineException("field '" + p.currentName() + "': " + p.getText()
                        + " is out of range for a 32-bit integer");
            }
            set.accept(r, p.getIntValue());
        }
    }

    /** An IPv4 or IPv6 address as text; omitted when null. */
    record Address(Function<FlowRecord, byte[]> get, BiConsumer<FlowRecord, byte[]> set) implements FieldCodec {

        @Override
        public void read(JsonParser p, FlowRecord r) throws IOException, JsonLineException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw expected(p, "an address string");
            }
            try {
                set.accept(r, AddressText.parse(p.getText()));
            } catch (IllegalArgumentException e) {
                throw new JsonLineException("field '" + p.currentName() + "': " + e.getMessage());
            }
        }
    }

    /** A MAC in the low 48 bits of a long, as {@code aa:bb:cc:dd:ee:ff}; a plain number is read too. */
    record Mac(ToLongFunction<FlowRecord> get, ObjLongConsumer<FlowRecord> set) implements FieldCodec {

        @Override
        public void read(JsonParser p, FlowRecord r) throws IOException, JsonLineException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                set.accept(r, p.getLongValue());
                return;
            }
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw expected(p, "a MAC address string");
            }
            try {
                set.accept(r, AddressText.parseMac(p.getText()));
            } catch (IllegalArgumentException e) {
                throw new JsonLineException("field '" + p.currentName() + "': " + e.getMessage());
            }
        }
    }

    /** The {@link FlowType} by its enum name; omitted when null. */
    record Type() implements FieldCodec {

        @Override
        public void read(JsonParser p, FlowRecord r) throws IOException, JsonLineException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw expected(p, "a flow type name");
            }
            String name = p.getText();
            for (FlowType t : FlowType.values()) {
                if (t.name().equals(name)) {
                    r.type(t);
                    return;
                }
            }
            throw new JsonLineException("field '" + p.currentName() + "': unknown flow type '" + name
                    + "'; expected one of " + Arrays.toString(FlowType.values()));
        }
    }

    private static JsonLineException expected(JsonParser p, String what) throws IOException {
        return new JsonLineException("field '" + p.currentName() + "' expects " + what + "; got "
                + p.getText());
    }
}
