package io.caravan.pipeline.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnknownFieldSet;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Holds the encoder's hand-written {@link FlowWriter} to a generic writer driven by the {@link
 * ProtoField} table through protobuf-java's {@link CodedOutputStream} ({@link #reference}), so that
 * the writer and the table cannot drift apart: same bytes, every field written.
 */
class FlowWriterTest {

    @Test
    void aRecordWithEveryFieldDistinctIsWrittenAsTheFieldTableWritesIt() throws Exception {
        FlowRecord r = new FlowRecord();
        int i = 0;
        for (ProtoField f : ProtoField.ALL) {
            i++;
            // Distinct per field, so that a getter written under another field's tag shows; ints
            // negative, so that a uint32 written as a sign-extended uint64 shows.
            if (f.codec instanceof ProtoCodec.U64 c) {
                c.set().accept(r, (long) i << 40 | 0x1234L * i);
            } else if (f.codec instanceof ProtoCodec.U32 c) {
                c.set().accept(r, -1000 * i);
            } else if (f.codec instanceof ProtoCodec.Address c) {
                c.set().accept(r, address(i, i % 2 == 0 ? 4 : 16));
            } else {
                r.type(FlowType.IPFIX);
            }
        }

        byte[] bare = FlowProto.encode(List.of(r), false);

        assertThat(bare).isEqualTo(reference(List.of(r), false));
        assertThat(FlowProto.encode(List.of(r, r), true)).isEqualTo(reference(List.of(r, r), true));
        assertThat(UnknownFieldSet.parseFrom(bare).asMap().keySet()).as("field numbers written")
                .containsExactlyElementsOf(Arrays.stream(ProtoField.ALL).map(f -> f.number).collect(Collectors.toList()));
        assertThat(bare.length).as("long enough for a two-byte length").isGreaterThan(127);
    }

    @Test
    void randomRecordsAreWrittenAsTheFieldTableWritesThem() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        for (int batch = 0; batch < 500; batch++) {
            List<FlowRecord> records = new ArrayList<>();
            for (int i = random.nextInt(1, 20); i > 0; i--) {
                records.add(randomRecord(random));
            }

            assertThat(FlowProto.encode(records, true)).as("batch %s", batch).isEqualTo(reference(records, true));
            assertThat(FlowProto.encode(records.subList(0, 1), false)).as("batch %s, bare", batch)
                    .isEqualTo(reference(records.subList(0, 1), false));
        }
    }

    @Test
    void aReusedWorkArrayFullOfOtherBytesChangesNoByteAcrossLengthsOfOneAndTwoBytes() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        byte[][] work = {new byte[0]};
        int small = 0;
        int large = 0;
        for (int batch = 0; batch < 300; batch++) {
            List<FlowRecord> records = new ArrayList<>();
            for (int i = random.nextInt(1, 20); i > 0; i--) {
                // Messages under 128 bytes and over it, in any order: the reserved length byte is sometimes short.
                records.add(random.nextBoolean() ? randomRecord(random) : new FlowRecord().srcPort(random.nextInt(1, 65536)));
            }
            for (FlowRecord r : records) {
                if (FlowWriter.size(r) < 128) {
                    small++;
                } else {
                    large++;
                }
            }

            byte[] out = FlowProto.encode(records, true, size -> {
                if (work[0].length < size) {
                    work[0] = new byte[size];
                }
                Arrays.fill(work[0], (byte) 0xA5);
                return work[0];
            });

            assertThat(out).as("batch %s", batch).isEqualTo(reference(records, true));
        }
        assertThat(small).isPositive();
        assertThat(large).isPositive();
    }

    @Test
    void aRecordWithEveryFieldAtItsLargestTakesNoMoreThanTheWorkArrayLeavesEachRecord() {
        FlowRecord r = new FlowRecord().type(FlowType.VANFLOW);
        for (ProtoField f : ProtoField.ALL) {
            if (f.codec instanceof ProtoCodec.U64 c) {
                c.set().accept(r, -1L);
            } else if (f.codec instanceof ProtoCodec.U32 c) {
                c.set().accept(r, -1);
            } else if (f.codec instanceof ProtoCodec.Address c) {
                c.set().accept(r, new byte[16]);
            }
        }

        assertThat(FlowWriter.size(r)).isLessThanOrEqualTo(FlowWriter.MAX_SIZE).isLessThan(1 << 14);
    }

    @Test
    void aWrongAddressLengthFailsNamingTheFieldForEachAddressField() {
        for (ProtoField f : ProtoField.ALL) {
            if (f.codec instanceof ProtoCodec.Address c) {
                FlowRecord bad = new FlowRecord().srcPort(1);
                c.set().accept(bad, new byte[5]);

                assertThatThrownBy(() -> FlowProto.encode(List.of(new FlowRecord(), bad), true))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("record 2: field '" + f.protoName + "' has 5 bytes; an address has 4 or 16");
                assertThatThrownBy(() -> FlowProto.encode(List.of(bad), false))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("field '" + f.protoName + "' has 5 bytes; an address has 4 or 16");
            }
        }
    }

    @Test
    void everyTagFitsTheTwoBytesFlowWriterWritesATagIn() {
        for (ProtoField f : ProtoField.ALL) {
            assertThat(ProtoWriter.varintSize(f.tag)).as("%s", f).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void varintsAndTheirSizesAreProtobufsAtEveryLength() throws Exception {
        List<Long> values = new ArrayList<>(List.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE));
        for (int bits = 1; bits < 64; bits++) {
            values.add((1L << bits) - 1);
            values.add(1L << bits);
            values.add((1L << bits) + 1);
        }
        for (long v : values) {
            byte[] theirs = new byte[CodedOutputStream.computeUInt64SizeNoTag(v)];
            CodedOutputStream out = CodedOutputStream.newInstance(theirs);
            out.writeUInt64NoTag(v);
            out.checkNoSpaceLeft();
            byte[] ours = new byte[12];

            int end = ProtoWriter.putVarint(ours, 1, v);

            assertThat(Arrays.copyOfRange(ours, 1, end)).as("%s", Long.toUnsignedString(v)).isEqualTo(theirs);
            assertThat(ProtoWriter.varintSize(v)).as("size of %s", Long.toUnsignedString(v)).isEqualTo(theirs.length);
        }
    }

    /**
     * Each record by the table, field by field in number order, 0 and null left out (proto3),
     * through protobuf-java; each message after its length when {@code delimited}.
     */
    private static byte[] reference(List<FlowRecord> records, boolean delimited) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(all);
        for (FlowRecord r : records) {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            CodedOutputStream m = CodedOutputStream.newInstance(message);
            for (ProtoField f : ProtoField.ALL) {
                if (f.codec instanceof ProtoCodec.U64 c) {
                    long v = c.get().applyAsLong(r);
                    if (v != 0) {
                        m.writeUInt64(f.number, v);
                    }
                } else if (f.codec instanceof ProtoCodec.U32 c) {
                    long v = Integer.toUnsignedLong(c.get().applyAsInt(r));
                    if (v != 0) {
                        m.writeUInt64(f.number, v);
                    }
                } else if (f.codec instanceof ProtoCodec.Address c) {
                    byte[] a = c.get().apply(r);
                    if (a != null) {
                        m.writeByteArray(f.number, a);
                    }
                } else if (f.codec instanceof ProtoCodec.Type) {
                    int v = ProtoCodec.Type.number(r.type());
                    if (v != 0) {
                        m.writeEnum(f.number, v);
                    }
                } else {
                    throw new AssertionError("no reference for " + f.codec);
                }
            }
            m.flush();
            if (delimited) {
                out.writeUInt32NoTag(message.size());
            }
            out.writeRawBytes(message.toByteArray());
        }
        out.flush();
        return all.toByteArray();
    }

    /** Each field left out (0 or null) about a third of the time, else a value of any varint length. */
    private static FlowRecord randomRecord(SplittableRandom random) {
        FlowRecord r = new FlowRecord();
        for (ProtoField f : ProtoField.ALL) {
            if (random.nextInt(3) == 0) {
                continue;
            }
            if (f.codec instanceof ProtoCodec.U64 c) {
                c.set().accept(r, random.nextLong() >>> random.nextInt(64));
            } else if (f.codec instanceof ProtoCodec.U32 c) {
                c.set().accept(r, random.nextInt() >>> random.nextInt(32));
            } else if (f.codec instanceof ProtoCodec.Address c) {
                c.set().accept(r, address(random.nextInt(), random.nextBoolean() ? 4 : 16));
            } else {
                r.type(FlowType.values()[random.nextInt(FlowType.values().length)]);
            }
        }
        return r;
    }

    private static byte[] address(int seed, int length) {
        byte[] a = new byte[length];
        for (int i = 0; i < length; i++) {
            a[i] = (byte) (seed + i * 31);
        }
        return a;
    }
}
