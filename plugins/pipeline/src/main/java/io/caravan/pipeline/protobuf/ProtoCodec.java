package io.caravan.pipeline.protobuf;

import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import java.util.function.ObjLongConsumer;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * How one {@link ProtoField} is read, and the record accessors its value is written from (by
 * {@link FlowWriter}, which leaves zero and absent values out, as proto3 does).
 */
sealed interface ProtoCodec {

    /** The wire type of the field's values. */
    int wireType();

    /** Reads the value after the field's tag, found at byte {@code at} with the right wire type, into the record. */
    void read(ProtoReader in, ProtoField f, int at, FlowRecord r) throws ProtoException;

    /** A {@code long} record value, written as its unsigned 64-bit varint (for uint64 and uint32 fields alike). */
    record U64(ToLongFunction<FlowRecord> get, ObjLongConsumer<FlowRecord> set) implements ProtoCodec {
        @Override
        public int wireType() {
            return ProtoWriter.WIRE_VARINT;
        }


        @Override
        public void read(ProtoReader in, ProtoField f, int at, FlowRecord r) throws ProtoException {
            set.accept(r, in.varint());
        }
    }

    /** An {@code int} record value, written as uint32 (its unsigned 32 bits); read back as protobuf reads a uint32, the low 32 bits. */
    record U32(ToIntFunction<FlowRecord> get, ObjIntConsumer<FlowRecord> set) implements ProtoCodec {
        @Override
        public int wireType() {
            return ProtoWriter.WIRE_VARINT;
        }


        @Override
        public void read(ProtoReader in, ProtoField f, int at, FlowRecord r) throws ProtoException {
            set.accept(r, (int) in.varint());
        }
    }

    /** An address: 4 or 16 raw bytes, left out when null. */
    record Address(Function<FlowRecord, byte[]> get, BiConsumer<FlowRecord, byte[]> set) implements ProtoCodec {
        @Override
        public int wireType() {
            return ProtoWriter.WIRE_LENGTH_DELIMITED;
        }


        /** What the encoder throws for an address of neither 4 nor 16 bytes. */
        static IllegalArgumentException wrongLength(ProtoField f, byte[] a) {
            return new IllegalArgumentException("field '" + f.protoName + "' has " + a.length
                    + " bytes; an address has 4 or 16");
        }

        @Override
        public void read(ProtoReader in, ProtoField f, int at, FlowRecord r) throws ProtoException {
            byte[] a = in.bytes();
            if (a.length == 0) {
                set.accept(r, null);
                return;
            }
            if (a.length != 4 && a.length != 16) {
                throw new ProtoException("field " + f.number + " (" + f.protoName + ") at byte " + at + " has "
                        + a.length + " bytes; an address has 4 or 16");
            }
            set.accept(r, a);
        }
    }

    /**
     * The {@link FlowType}: goflow2's numbers 0 to 4, then Caravan's own SKYDIVE = 5 and
     * VANFLOW = 6 (proto3 enums are open, so goflow2 readers keep them as unknown numbers). A
     * number Caravan does not know reads as FLOWUNKNOWN.
     */
    record Type() implements ProtoCodec {
        @Override
        public int wireType() {
            return ProtoWriter.WIRE_VARINT;
        }


        @Override
        public void read(ProtoReader in, ProtoField f, int at, FlowRecord r) throws ProtoException {
            r.type(type(in.varint()));
        }

        static int number(FlowType t) {
            if (t == null) {
                return 0;
            }
            return switch (t) {
                case FLOWUNKNOWN -> 0;
                case SFLOW_5 -> 1;
                case NETFLOW_V5 -> 2;
                case NETFLOW_V9 -> 3;
                case IPFIX -> 4;
                case SKYDIVE -> 5;
                case VANFLOW -> 6;
            };
        }

        static FlowType type(long number) {
            return switch ((int) Math.min(number, Integer.MAX_VALUE)) {
                case 1 -> FlowType.SFLOW_5;
                case 2 -> FlowType.NETFLOW_V5;
                case 3 -> FlowType.NETFLOW_V9;
                case 4 -> FlowType.IPFIX;
                case 5 -> FlowType.SKYDIVE;
                case 6 -> FlowType.VANFLOW;
                default -> FlowType.FLOWUNKNOWN;
            };
        }
    }
}
