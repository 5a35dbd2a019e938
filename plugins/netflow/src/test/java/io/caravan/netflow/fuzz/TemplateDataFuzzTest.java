package io.caravan.netflow.fuzz;

import io.caravan.testkit.fuzz.DatagramSequence;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.caravan.traffic.datagram.IpfixBuilder;
import io.caravan.traffic.datagram.NetflowV9Builder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Structure-aware fuzzing of v9 and IPFIX: the fuzz input chooses a template (fields from the elements the
 * decoder maps, at their usual and reduced sizes, unknown and vendor elements, IPFIX variable-length and
 * enterprise fields), optionally sampling options, and data records for it, which the traffic builders encode
 * as valid datagrams; then it may mutate a few bytes of them (a byte, a 16/32-bit field set to a boundary
 * value, truncation, a repeated tail), choose their order, and go on with re-announcements, redefinitions,
 * further templates, withdrawals, clock jumps and other exporters. Besides {@link NetflowFuzzHarness}'s
 * properties: an unmutated template that arrives no later than its data decodes to exactly the records
 * encoded.
 */
class TemplateDataFuzzTest {
    /** (element id, length) pairs the decoder maps, at their natural and some reduced sizes. */
    private static final int[][] ELEMENTS = {{1, 8}, {1, 4}, {2, 8}, {2, 4}, {4, 1}, {5, 1}, {6, 1}, {6, 2}, {7, 2},
            {8, 4}, {9, 1}, {10, 4}, {10, 2}, {11, 2}, {12, 4}, {13, 1}, {14, 4}, {14, 2}, {15, 4}, {16, 4}, {16, 2},
            {17, 4}, {17, 2}, {18, 4}, {21, 4}, {22, 4}, {23, 8}, {24, 8}, {27, 16}, {28, 16}, {29, 1}, {30, 1},
            {31, 3}, {32, 2}, {34, 4}, {35, 1}, {48, 2}, {48, 1}, {49, 1}, {50, 4}, {52, 1}, {54, 4}, {56, 6},
            {57, 6}, {58, 2}, {59, 2}, {60, 1}, {61, 1}, {62, 16}, {63, 16}, {80, 6}, {81, 6}, {88, 2}, {89, 1},
            {89, 4}, {138, 4}, {139, 2}, {150, 4}, {151, 4}, {152, 8}, {153, 8}, {154, 8}, {155, 8}, {156, 8},
            {157, 8}, {158, 4}, {159, 4}, {160, 8}, {161, 4}, {162, 4}, {176, 1}, {177, 1}, {178, 1}, {179, 1},
            {192, 1}, {243, 2}, {252, 4}, {253, 4}, {254, 2}, {256, 2}, {302, 8}, {302, 4}, {304, 2}, {305, 4},
            {306, 4}, {309, 4}, {310, 4}, {311, 8}};
    /** IPFIX elements that are variable length by nature (interfaceName, interfaceDescription, ...). */
    private static final int[] VARIABLE_ELEMENTS = {82, 83, 84, 94, 95, 96, 100};
    private static final long[] ENTERPRISES = {9, 2636, 29305, 0xFFFFFFFFL};
    private static final int[] BOUNDARIES_16 = {0, 1, 2, 3, 4, 5, 8, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000,
            0xFFFE, 0xFFFF};
    private static final long EXPORT_S = NetflowFuzzHarness.START_MS / 1000;
    private static final InetSocketAddress EXPORTER = DatagramSequence.Step.of(0, 0, new byte[0]).sender(2055);
    private static final InetSocketAddress OTHER = DatagramSequence.Step.of(1, 0, new byte[0]).sender(2055);

    /** One field: element id, length (65535 = variable, IPFIX only) and enterprise number (0 = none). */
    private record Field(int id, int length, long pen) {
        boolean variable() {
            return length == IpfixBuilder.VARIABLE;
        }
    }

    @FuzzTest(maxDuration = "1m")
    void templateAndData(FuzzedDataProvider in) throws Exception {
        try (NetflowFuzzHarness h = NetflowFuzzHarness.start(in.consumeInt(0, 0xFF))) {
            boolean ipfix = in.consumeBoolean();
            int id = 256 + in.consumeInt(0, 7);
            long domain = in.consumeInt(0, 3);
            List<Field> fields = fields(in, ipfix);
            List<byte[]> records = new ArrayList<>();
            for (int n = in.consumeInt(1, 6); n > 0; n--) {
                records.add(record(in, ipfix, fields));
            }
            boolean options = in.consumeBoolean();
            boolean together = in.consumeBoolean();
            byte[] template = ipfix ? ipfixTemplate(domain, id, fields, options, in) : v9Template(domain, id, fields,
                    options, in);
            byte[] data = ipfix ? ipfixData(domain, id, records, 1) : v9Data(domain, id, records, 2);
            if (together) {
                template = ipfix ? ipfixTogether(domain, id, fields, records) : v9Together(domain, id, fields, records);
                data = null;
            }
            int mutations = in.consumeInt(0, 3);
            for (int m = 0; m < mutations; m++) {
                if (data != null && in.consumeBoolean()) {
                    data = mutate(data, in);
                } else {
                    template = mutate(template, in);
                }
            }
            boolean dataFirst = data != null && in.consumeBoolean();
            int decoded = 0;
            if (dataFirst) {
                decoded += Math.max(0, h.feed(data, EXPORTER));
            }
            decoded += Math.max(0, h.feed(template, EXPORTER));
            if (data != null && !dataFirst) {
                decoded += Math.max(0, h.feed(data, EXPORTER));
            }
            if (mutations == 0 && !dataFirst && minRecordLength(fields) >= 4) {
                assertThat(decoded).as("records decoded from a valid template and its data").isEqualTo(records.size());
            }
            byte[] again = data != null ? data : template;
            for (int k = in.consumeInt(0, 4); k > 0; k--) {
                switch (in.consumeInt(0, 5)) {
                    case 0 -> h.feed(again, EXPORTER);
                    case 1 -> h.feed(template, EXPORTER);
                    case 2 -> {
                        int other = 256 + in.consumeInt(0, 7);
                        h.feed(ipfix ? ipfixTemplate(domain, other, fields(in, true), false, in)
                                : v9Template(domain, other, fields(in, false), false, in), EXPORTER);
                    }
                    case 3 -> h.feed(ipfix ? new IpfixBuilder().observationDomain(domain).withdrawTemplate(id).build()
                            : v9Data(domain, id, List.of(), 3), EXPORTER);
                    case 4 -> h.clock().advance(DatagramSequence.ADVANCE_MS[in.consumeInt(0, 31)]);
                    default -> h.feed(again, OTHER);
                }
            }
            h.assertStateBounded();
        }
    }

    private static List<Field> fields(FuzzedDataProvider in, boolean ipfix) {
        List<Field> fields = new ArrayList<>();
        for (int n = in.consumeInt(1, 16); n > 0; n--) {
            int kind = in.consumeInt(0, 7);
            if (kind <= 4) {
                int[] e = ELEMENTS[in.consumeInt(0, ELEMENTS.length - 1)];
                fields.add(new Field(e[0], e[1], 0));
            } else if (kind == 5) {
                fields.add(new Field(ELEMENTS[in.consumeInt(0, ELEMENTS.length - 1)][0], in.consumeInt(1, 32), 0));
            } else if (kind == 6) {
                fields.add(new Field(in.consumeInt(1000, 0x7FFF), in.consumeInt(1, 32), 0));
            } else if (!ipfix) {
                fields.add(new Field(in.consumeInt(0x8000, 0xFFFF), in.consumeInt(1, 16), 0));
            } else if (in.consumeBoolean()) {
                fields.add(new Field(VARIABLE_ELEMENTS[in.consumeInt(0, VARIABLE_ELEMENTS.length - 1)],
                        IpfixBuilder.VARIABLE, 0));
            } else {
                boolean variable = in.consumeBoolean();
                fields.add(new Field(in.consumeInt(1, 0x7FFF), variable ? IpfixBuilder.VARIABLE : in.consumeInt(1, 16),
                        ENTERPRISES[in.consumeInt(0, ENTERPRISES.length - 1)]));
            }
        }
        return fields;
    }

    /** One encoded data record: fixed fields at their length, variable ones up to 300 bytes. */
    private static byte[] record(FuzzedDataProvider in, boolean ipfix, List<Field> fields) {
        if (ipfix) {
            IpfixBuilder.Record r = IpfixBuilder.record(ipfixFields(fields));
            for (Field f : fields) {
                byte[] value = f.variable() ? in.consumeBytes(in.consumeInt(0, 300))
                        : exactly(in.consumeBytes(f.length()), f.length());
                r.set(f.pen(), f.id(), value);
            }
            return r.bytes();
        }
        NetflowV9Builder.Record r = NetflowV9Builder.record(v9Pairs(fields));
        for (Field f : fields) {
            r.set(f.id(), exactly(in.consumeBytes(f.length()), f.length()));
        }
        return r.bytes();
    }

    private static byte[] exactly(byte[] value, int length) {
        return value.length == length ? value : Arrays.copyOf(value, length);
    }

    private static int minRecordLength(List<Field> fields) {
        int n = 0;
        for (Field f : fields) {
            n += f.variable() ? 1 : f.length();
        }
        return n;
    }

    private static IpfixBuilder.Field[] ipfixFields(List<Field> fields) {
        return fields.stream().map(f -> IpfixBuilder.field(f.id(), f.length(), f.pen()))
                .toArray(IpfixBuilder.Field[]::new);
    }

    private static int[] v9Pairs(List<Field> fields) {
        int[] pairs = new int[2 * fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            pairs[2 * i] = fields.get(i).id();
            pairs[2 * i + 1] = fields.get(i).length();
        }
        return pairs;
    }

    private static IpfixBuilder ipfix(long domain, long sequence) {
        return new IpfixBuilder().observationDomain(domain).sequence(sequence).exportTime(EXPORT_S).setPadding(1);
    }

    private static NetflowV9Builder v9(long domain, long sequence) {
        return new NetflowV9Builder().sourceId(domain).sequence(sequence).unixSecs(EXPORT_S).sysUptime(3_600_000L);
    }

    private static byte[] ipfixTemplate(long domain, int id, List<Field> fields, boolean options,
                                        FuzzedDataProvider in) {
        IpfixBuilder b = ipfix(domain, 0).template(id, ipfixFields(fields));
        if (options) {
            b.optionsSelector(id + 16, in.consumeInt(0, 3), in.consumeInt(0, 0xFFFF), in.consumeInt(0, 0xFFFF));
        }
        return b.build();
    }

    private static byte[] v9Template(long domain, int id, List<Field> fields, boolean options, FuzzedDataProvider in) {
        NetflowV9Builder b = v9(domain, 1).template(id, v9Pairs(fields));
        if (options) {
            b.optionsSampling(id + 16, in.consumeInt(0, 3), in.consumeInt(0, 3), in.consumeInt(0, 0xFFFF));
        }
        return b.build();
    }

    private static byte[] ipfixData(long domain, int id, List<byte[]> records, long sequence) {
        return ipfix(domain, sequence).data(id, records.toArray(byte[][]::new)).build();
    }

    private static byte[] v9Data(long domain, int id, List<byte[]> records, long sequence) {
        return v9(domain, sequence).data(id, records.toArray(byte[][]::new)).build();
    }

    private static byte[] ipfixTogether(long domain, int id, List<Field> fields, List<byte[]> records) {
        return ipfix(domain, 0).template(id, ipfixFields(fields)).data(id, records.toArray(byte[][]::new)).build();
    }

    private static byte[] v9Together(long domain, int id, List<Field> fields, List<byte[]> records) {
        return v9(domain, 1).template(id, v9Pairs(fields)).data(id, records.toArray(byte[][]::new)).build();
    }

    /** One mutation: a byte, a 16-bit field set to a boundary, a 32-bit field, truncation, or a repeated tail. */
    private static byte[] mutate(byte[] d, FuzzedDataProvider in) {
        if (d.length == 0) {
            return d;
        }
        int at = in.consumeInt(0, d.length - 1);
        byte[] out = d.clone();
        switch (in.consumeInt(0, 4)) {
            case 0 -> out[at] = (byte) in.consumeInt(0, 0xFF);
            case 1 -> {
                int v = in.consumeBoolean() ? BOUNDARIES_16[in.consumeInt(0, BOUNDARIES_16.length - 1)]
                        : d.length - at + in.consumeInt(-4, 4);
                out[at] = (byte) (v >>> 8);
                if (at + 1 < out.length) {
                    out[at + 1] = (byte) v;
                }
            }
            case 2 -> {
                int v = in.consumeInt();
                for (int i = 0; i < 4 && at + i < out.length; i++) {
                    out[at + i] = (byte) (v >>> (24 - 8 * i));
                }
            }
            case 3 -> out = Arrays.copyOf(d, at);
            default -> {
                out = Arrays.copyOf(d, d.length + d.length - at);
                System.arraycopy(d, at, out, d.length, d.length - at);
            }
        }
        return out;
    }
}
