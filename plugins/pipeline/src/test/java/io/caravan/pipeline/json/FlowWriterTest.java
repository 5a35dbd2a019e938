package io.caravan.pipeline.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.net.AddressText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Holds the encoder's hand-written {@link FlowWriter} (and {@link TextBytes}) to a generic Jackson
 * writer driven by the {@link FlowField} table ({@link #reference}), so that the writer and the
 * table cannot drift apart: same bytes, every field written.
 */
class FlowWriterTest {
    private final FlowJson json = new FlowJson();

    @Test
    void aRecordWithEveryFieldDistinctIsWrittenAsTheFieldTableWritesIt() throws Exception {
        FlowRecord r = everyField(false);

        assertSameBytes(List.of(r));
        assertSameBytes(List.of(r, everyField(true), r));
        assertThat(JsonLinesTest.keysOf(new String(json.encode(List.of(r), true, false), UTF_8))).as("keys written")
                .containsExactlyElementsOf(Arrays.stream(FlowField.ALL).map(FlowField::jsonName).toList());
    }

    @Test
    void negativeValuesMeaningLargeUnsignedOnesAreWrittenAsTheFieldTableWritesThem() throws Exception {
        FlowRecord r = everyField(true);

        assertSameBytes(List.of(r));
        assertThat(new String(json.encode(List.of(r), false, false), UTF_8))
                .contains("\"time_received_ns\":" + Long.toUnsignedString(r.timeReceivedNs()) + ",")
                .contains("\"src_port\":" + r.srcPort() + ",");
    }

    @Test
    void attributesNeedingEscapesAreWrittenAsTheFieldTableWritesThem() throws Exception {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("quote\"back\\slash", List.of("tab\there", "nl\nret\r", "\u0001\u001f\u007f", "é€😀", "\ud800"));
        nested.put("numbers", Arrays.asList(1, (short) -2, (byte) 3, Long.MIN_VALUE, 0.1f, -2.5e300, Double.NaN,
                Double.NEGATIVE_INFINITY, new BigInteger("123456789012345678901234567890"), new BigDecimal("1.50E+3")));
        nested.put("empty", Map.of());
        nested.put("null", null);
        nested.put(null, "null key");
        FlowRecord r = everyField(false)
                .attribute("tag", "egress")
                .attribute("as_path", List.of(64500L, 64501L, List.of(64502L, 64503L)))
                .attribute("nested", nested)
                .attribute("blocked", true)
                .attribute("\"key\"\n/</script>", FlowType.SKYDIVE)
                .attribute("empty list", List.of());
        FlowRecord sparse = new FlowRecord().attribute("x", "y");

        assertSameBytes(List.of(r, sparse, new FlowRecord(), r));
        assertThat(new String(json.encode(List.of(r), true, false), UTF_8)).contains(",\"attributes\":{");
    }

    @Test
    void randomRecordsAreWrittenAsTheFieldTableWritesThem() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        for (int batch = 0; batch < 500; batch++) {
            List<FlowRecord> records = new ArrayList<>();
            for (int i = random.nextInt(1, 20); i > 0; i--) {
                records.add(randomRecord(random));
            }

            assertThat(json.encode(records, true, false)).as("batch %s", batch)
                    .isEqualTo(reference(records, true));
            assertThat(json.encode(records, false, false)).as("batch %s, no attributes", batch)
                    .isEqualTo(reference(records, false));
        }
    }

    @Test
    void withOmitZeroRandomRecordsAreWrittenAsTheFieldTableWritesThemLessTheZeros() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        for (int batch = 0; batch < 500; batch++) {
            List<FlowRecord> records = new ArrayList<>();
            for (int i = random.nextInt(1, 20); i > 0; i--) {
                records.add(randomRecord(random));
            }

            assertThat(json.encode(records, true, true)).as("batch %s", batch)
                    .isEqualTo(reference(records, true, true));
            assertThat(json.encode(records, false, true)).as("batch %s, no attributes", batch)
                    .isEqualTo(reference(records, false, true));
        }
        FlowRecord zeros = new FlowRecord().srcMac(0xFFFF_0000_0000_0000L).dstAddr(new byte[4]);
        assertThat(new String(json.encode(List.of(zeros, new FlowRecord().type(null)), false, true), UTF_8))
                .as("a MAC whose 48 bits are 0 is left out; 0.0.0.0 is not; a record with nothing set is {}")
                .isEqualTo("{\"type\":\"FLOWUNKNOWN\",\"dst_addr\":\"0.0.0.0\"}\n{}\n");
    }

    /**
     * The writer copies the text of a value the previous record had (receive time, sequence,
     * flow times, exporter): values that repeat, change and come back, in batches of every size
     * one writer state encodes in turn, must still be written as the table writes them.
     */
    @Test
    void valuesRepeatedFromRecordToRecordAreWrittenAsTheFieldTableWritesThem() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        long[] times = {1_700_000_000_123_000_000L, 1_700_000_000_124_000_000L, 0, -1L, 7};
        byte[][] exporters = {address(1, 4), address(1, 4), address(2, 16), null, new byte[4]};
        for (int batch = 0; batch < 300; batch++) {
            List<FlowRecord> records = new ArrayList<>();
            for (int i = random.nextInt(1, 40); i > 0; i--) {
                FlowRecord r = random.nextInt(4) == 0 ? randomRecord(random) : new FlowRecord().srcPort(i);
                records.add(r.timeReceivedNs(times[random.nextInt(times.length)])
                        .sequenceNum(times[random.nextInt(times.length)])
                        .timeFlowStartNs(times[random.nextInt(times.length)])
                        .timeFlowEndNs(times[random.nextInt(times.length)])
                        .samplerAddress(exporters[random.nextInt(exporters.length)]));
            }
            boolean omitZero = random.nextBoolean();

            assertThat(json.encode(records, true, omitZero)).as("batch %s, omitZero=%s", batch, omitZero)
                    .isEqualTo(reference(records, true, omitZero));
        }
    }

    @Test
    void batchesOutgrowingTheFirstGuessAreWrittenWhole() throws Exception {
        FlowRecord big = everyField(true).attribute("blob", "x".repeat(100_000));
        List<FlowRecord> records = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            records.add(i % 100 == 7 ? big : everyField(i % 2 == 0));
        }

        assertSameBytes(records);
        assertSameBytes(List.of(big));
    }

    @Test
    void aWrongAddressLengthFailsNamingTheFieldForEachAddressField() {
        for (FlowField f : FlowField.ALL) {
            if (f.codec instanceof FieldCodec.Address c) {
                FlowRecord bad = new FlowRecord().srcPort(1);
                c.set().accept(bad, new byte[5]);
                String message = "field '" + f.jsonName() + "' has 5 bytes; an address has 4 or 16: [0, 0, 0, 0, 0]";

                assertThatThrownBy(() -> json.encode(List.of(new FlowRecord(), bad), true, false))
                        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
            }
        }
    }

    @Test
    void numbersAreWrittenAsJacksonWritesThemAtEveryLength() {
        List<Long> values = new ArrayList<>(List.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE));
        for (long pow = 1; pow > 0 && pow <= Long.MAX_VALUE / 10; pow *= 10) {
            values.addAll(List.of(pow - 1, pow, pow + 1, pow * 10 - 1, -pow, -pow - 1));
        }
        for (int bits = 1; bits < 64; bits++) {
            values.addAll(List.of((1L << bits) - 1, 1L << bits, -(1L << bits)));
        }
        byte[] b = new byte[32];
        for (long v : values) {
            assertThat(text(b, TextBytes.unsigned(b, 1, v))).as("%s", v).isEqualTo(Long.toUnsignedString(v));
            int i = (int) v;
            assertThat(text(b, TextBytes.signed(b, 1, i))).as("%s", i).isEqualTo(Integer.toString(i));
        }
    }

    @Test
    void maxSizeCoversTheLongestRecord() throws Exception {
        FlowRecord longest = everyField(true).type(FlowType.FLOWUNKNOWN);
        for (FlowField f : FlowField.ALL) {
            if (f.codec instanceof FieldCodec.I32 c) {
                c.set().accept(longest, Integer.MIN_VALUE);
            } else if (f.codec instanceof FieldCodec.Address c) {
                c.set().accept(longest, AddressText.parse("1111:2222:3333:4444:5555:6666:7777:8888"));
            }
        }

        // Less the closing "}\n": FlowWriter writes the '{' as the first field's ','.
        assertThat(json.encode(List.of(longest), false, false).length - 2).isLessThanOrEqualTo(FlowWriter.MAX_SIZE);
    }

    private void assertSameBytes(List<FlowRecord> records) throws Exception {
        for (boolean attributes : new boolean[] {true, false}) {
            byte[] reference = reference(records, attributes);
            assertThat(new String(json.encode(records, attributes, false), UTF_8)).as("attributes=%s", attributes)
                    .isEqualTo(new String(reference, UTF_8));
            assertThat(json.encode(records, attributes, false)).isEqualTo(reference);
        }
    }

    /**
     * Every field set, each to a value of its own, so that a getter written under another field's
     * name shows; when {@code negative}, numbers that are large as unsigned and IPv6 addresses.
     */
    private static FlowRecord everyField(boolean negative) {
        FlowRecord r = new FlowRecord();
        int i = 0;
        for (FlowField f : FlowField.ALL) {
            i++;
            if (f.codec instanceof FieldCodec.U64 c) {
                c.set().accept(r, negative ? -1L - 0x1234L * i : (long) i << 40 | 0x1234L * i);
            } else if (f.codec instanceof FieldCodec.I32 c) {
                c.set().accept(r, negative ? -1000 * i : 1000 * i);
            } else if (f.codec instanceof FieldCodec.Address c) {
                c.set().accept(r, address(i, negative || i % 2 == 0 ? 16 : 4));
            } else if (f.codec instanceof FieldCodec.Mac c) {
                c.set().accept(r, negative ? -i : 0x0A0B_0C0D_0E00L + i);
            } else {
                r.type(FlowType.values()[1 + i % (FlowType.values().length - 1)]);
            }
        }
        return r;
    }

    /** Each field left at its default about a third of the time, else a value of any length. */
    private static FlowRecord randomRecord(SplittableRandom random) {
        FlowRecord r = new FlowRecord();
        for (FlowField f : FlowField.ALL) {
            if (random.nextInt(3) == 0) {
                continue;
            }
            if (f.codec instanceof FieldCodec.U64 c) {
                c.set().accept(r, random.nextLong() >>> random.nextInt(64));
            } else if (f.codec instanceof FieldCodec.I32 c) {
                c.set().accept(r, random.nextInt() >> random.nextInt(32));
            } else if (f.codec instanceof FieldCodec.Address c) {
                c.set().accept(r, randomAddress(random));
            } else if (f.codec instanceof FieldCodec.Mac c) {
                c.set().accept(r, random.nextLong() >>> random.nextInt(64));
            } else {
                r.type(FlowType.values()[random.nextInt(FlowType.values().length)]);
            }
        }
        if (random.nextInt(4) == 0) {
            r.attribute("n", random.nextLong()).attribute("s", "v\"" + (char) random.nextInt(0x3000))
                    .attribute("l", List.of(random.nextDouble(), random.nextBoolean()));
        }
        return r;
    }

    /** IPv4, or IPv6 with each group zero half the time (runs to compress), sometimes IPv4-mapped. */
    private static byte[] randomAddress(SplittableRandom random) {
        if (random.nextBoolean()) {
            return address(random.nextInt(), 4);
        }
        byte[] a = new byte[16];
        for (int g = 0; g < 8; g++) {
            if (random.nextBoolean()) {
                a[2 * g] = (byte) random.nextInt(256);
                a[2 * g + 1] = (byte) random.nextInt(256);
            }
        }
        if (random.nextInt(8) == 0) {
            Arrays.fill(a, 0, 10, (byte) 0);
            a[10] = (byte) 0xFF;
            a[11] = (byte) 0xFF;
        }
        return a;
    }

    private static byte[] address(int seed, int length) {
        byte[] a = new byte[length];
        for (int i = 0; i < length; i++) {
            a[i] = (byte) (seed + i * 31);
        }
        return a;
    }

    private static String text(byte[] b, int end) {
        return new String(b, 1, end - 1, UTF_8);
    }

    /**
     * Each record by Jackson, field by field in table order, each codec's value as Jackson writes
     * it (unsigned 64-bit numbers above Long.MAX_VALUE as decimal text), addresses and MACs as
     * AddressText formats them, null addresses and a null type left out; the attributes object as
     * the encoder's Jackson path writes it.
     */
    private byte[] reference(List<FlowRecord> records, boolean attributes) throws IOException {
        return reference(records, attributes, false);
    }

    /** As above; with {@code omitZero}, numbers equal to 0 and MACs of 0 left out too. */
    private byte[] reference(List<FlowRecord> records, boolean attributes, boolean omitZero) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().setRootValueSeparator(null).createGenerator(out)) {
            for (FlowRecord r : records) {
                g.writeStartObject();
                for (FlowField f : FlowField.ALL) {
                    if (f.codec instanceof FieldCodec.U64 c) {
                        long v = c.get().applyAsLong(r);
                        if (omitZero && v == 0) {
                            continue;
                        }
                        g.writeFieldName(f.key);
                        if (v >= 0) {
                            g.writeNumber(v);
                        } else {
                            g.writeNumber(Long.toUnsignedString(v));
                        }
                    } else if (f.codec instanceof FieldCodec.I32 c) {
                        if (omitZero && c.get().applyAsInt(r) == 0) {
                            continue;
                        }
                        g.writeFieldName(f.key);
                        g.writeNumber(c.get().applyAsInt(r));
                    } else if (f.codec instanceof FieldCodec.Address c) {
                        if (c.get().apply(r) != null) {
                            g.writeFieldName(f.key);
                            g.writeString(AddressText.format(c.get().apply(r)));
                        }
                    } else if (f.codec instanceof FieldCodec.Mac c) {
                        if (omitZero && AddressText.formatMac(c.get().applyAsLong(r)).equals("00:00:00:00:00:00")) {
                            continue;
                        }
                        g.writeFieldName(f.key);
                        g.writeString(AddressText.formatMac(c.get().applyAsLong(r)));
                    } else if (f.codec instanceof FieldCodec.Type) {
                        if (r.type() != null) {
                            g.writeFieldName(f.key);
                            g.writeString(r.type().name());
                        }
                    } else {
                        throw new AssertionError("no reference for " + f.codec);
                    }
                }
                if (attributes && !r.attributes().isEmpty()) {
                    g.writeFieldName(FlowField.ATTRIBUTES_KEY);
                    g.writeRawValue(new String(json.attributes(r), UTF_8));
                }
                g.writeEndObject();
                g.writeRaw('\n');
            }
        }
        return out.toByteArray();
    }
}
