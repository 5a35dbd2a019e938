package io.caravan.netflow.fuzz;

import io.caravan.testkit.fuzz.DatagramSequence;
import static io.caravan.traffic.datagram.IpfixBuilder.field;
import static io.caravan.traffic.datagram.IpfixBuilder.varField;

import io.caravan.testkit.fuzz.DatagramSequence.Step;
import io.caravan.traffic.datagram.IpfixBuilder;
import io.caravan.traffic.datagram.NetflowV5Builder;
import io.caravan.traffic.datagram.NetflowV9Builder;
import io.caravan.traffic.datagram.SyntheticFlow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed corpus of the netflow fuzz targets, built with the traffic builders: valid exporter conversations
 * (templates, data, options, withdrawals, data before its template, restarts) that each decode to records.
 * {@link SeedCorpusTest} writes them as {@code seed-<name>} files into the targets' inputs directories.
 */
final class NetflowSeeds {
    /** Index of a 1 s move in {@link DatagramSequence#ADVANCE_MS}. */
    private static final int ONE_SECOND = 8;
    private static final int NO_MOVE = 0;
    /** Config bit 0 of {@link NetflowFuzzHarness#start}: hold data for missing templates. */
    private static final int PENDING = 1;
    private static final int SAMPLING = 8;
    private static final long EXPORT_S = NetflowFuzzHarness.START_MS / 1000;
    private static final byte[] SRC = {10, 0, 0, 1};
    private static final byte[] DST = {(byte) 192, 0, 2, 99};
    private static final byte[] SRC6 = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final byte[] DST6 = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

    private NetflowSeeds() {
    }

    private static SyntheticFlow flow(byte[] src, byte[] dst, int srcPort) {
        long end = NetflowFuzzHarness.START_MS - 1_000;
        return new SyntheticFlow(src, dst, srcPort, 443, 6, 12, 9000, end - 20_000, end, 0x12, 0x20, 3, 4, 65001,
                65002, null, 24, 16);
    }

    private static List<SyntheticFlow> flows() {
        return List.of(flow(SRC, DST, 40000), flow(SRC, DST, 40001), flow(SRC6, DST6, 40002));
    }

    private static byte[] seed(int config, Step... steps) {
        return DatagramSequence.encode(config, List.of(steps));
    }

    private static Step step(int advance, byte[] payload) {
        return Step.of(0, advance, payload);
    }

    static Map<String, byte[]> v5() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        List<SyntheticFlow> v4 = flows().subList(0, 2);
        seeds.put("two-flows", seed(0, step(NO_MOVE, new NetflowV5Builder().unixSecs(EXPORT_S).addFlows(v4).build())));
        seeds.put("sequence-gap-restart", seed(0,
                step(NO_MOVE, new NetflowV5Builder().unixSecs(EXPORT_S).flowSequence(0).addFlows(v4).build()),
                step(ONE_SECOND, new NetflowV5Builder().unixSecs(EXPORT_S + 1).sysUptime(3_601_000).flowSequence(2)
                        .addFlows(v4).build()),
                step(ONE_SECOND, new NetflowV5Builder().unixSecs(EXPORT_S + 2).sysUptime(3_602_000).flowSequence(10)
                        .addFlows(v4).build()),
                step(ONE_SECOND, new NetflowV5Builder().unixSecs(EXPORT_S + 3).sysUptime(5_000).flowSequence(0)
                        .addFlows(v4).build())));
        seeds.put("sampled-engines-two-exporters", seed(SAMPLING,
                step(NO_MOVE, new NetflowV5Builder().unixSecs(EXPORT_S).engineType(1).engineId(7).samplingMode(1)
                        .samplingInterval(100).addFlows(v4).build()),
                Step.of(1, ONE_SECOND, new NetflowV5Builder().unixSecs(EXPORT_S + 1).addRecord(NetflowV5Builder
                        .record().srcAddr(SRC).dstAddr(DST).packets(1).octets(64).srcPort(53).protocol(17)).build())));
        return seeds;
    }

    static Map<String, byte[]> v9() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("templates-and-data", seed(0, step(NO_MOVE, v9(1).standardTemplates(256)
                .addFlows(256, flows()).build())));
        seeds.put("template-then-data", seed(0,
                step(NO_MOVE, v9(1).standardTemplates(256).build()),
                step(ONE_SECOND, v9(2).addFlows(256, flows()).build())));
        seeds.put("data-before-template", seed(PENDING,
                step(NO_MOVE, v9(1).addFlows(256, flows()).build()),
                step(ONE_SECOND, v9(2).standardTemplates(256).build()),
                step(ONE_SECOND, v9(3).addFlows(256, flows()).build())));
        seeds.put("options-sampling", seed(0, step(NO_MOVE, v9(1).optionsSampling(300, 5, 2, 512)
                .standardTemplates(256).addFlows(256, flows()).build())));
        seeds.put("template-redefined", seed(0,
                step(NO_MOVE, v9(1).standardTemplateIpv4(256).addFlows(256, flows().subList(0, 2)).build()),
                step(ONE_SECOND, v9(2).template(256, NetflowV9Builder.IN_BYTES, 4, NetflowV9Builder.IN_PKTS, 4,
                        NetflowV9Builder.IPV4_SRC_ADDR, 4, NetflowV9Builder.FIRST_SWITCHED, 4,
                        NetflowV9Builder.LAST_SWITCHED, 4).build()),
                step(ONE_SECOND, dataRecords())));
        return seeds;
    }

    private static NetflowV9Builder v9(long sequence) {
        return new NetflowV9Builder().sourceId(3).sequence(sequence).unixSecs(EXPORT_S).sysUptime(3_600_000L);
    }

    private static byte[] dataRecords() {
        NetflowV9Builder b = v9(3).template(257, NetflowV9Builder.IN_BYTES, 4, NetflowV9Builder.IN_PKTS, 4,
                NetflowV9Builder.IPV4_SRC_ADDR, 4, NetflowV9Builder.FIRST_SWITCHED, 4,
                NetflowV9Builder.LAST_SWITCHED, 4);
        return b.data(257, b.record(257).set(NetflowV9Builder.IN_BYTES, 1500).set(NetflowV9Builder.IN_PKTS, 2)
                .set(NetflowV9Builder.IPV4_SRC_ADDR, SRC).set(NetflowV9Builder.FIRST_SWITCHED, 3_590_000)
                .set(NetflowV9Builder.LAST_SWITCHED, 3_599_000).bytes()).build();
    }

    static Map<String, byte[]> ipfix() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("templates-and-flows", seed(0, step(NO_MOVE, ipfix(0).standardTemplates(256)
                .addFlows(256, flows()).build())));
        IpfixBuilder custom = ipfix(0).template(300, field(IpfixBuilder.OCTET_DELTA_COUNT, 4),
                varField(IpfixBuilder.INTERFACE_NAME), field(1, 4, 9), varField(2, 29305),
                field(IpfixBuilder.SOURCE_IPV4_ADDRESS, 4));
        seeds.put("variable-and-enterprise-fields", seed(0,
                step(NO_MOVE, custom.build()),
                step(ONE_SECOND, ipfix(0).data(300, custom.record(300).set(IpfixBuilder.OCTET_DELTA_COUNT, 1500)
                        .set(IpfixBuilder.INTERFACE_NAME, "ge-0/0/1".getBytes(StandardCharsets.US_ASCII))
                        .set(9, 1, 42).set(29305, 2, new byte[300]).set(IpfixBuilder.SOURCE_IPV4_ADDRESS, SRC).bytes())
                        .build())));
        seeds.put("options-selector", seed(0, step(NO_MOVE, ipfix(0).optionsSelector(400, 1, 1, 99)
                .standardTemplates(256).addFlows(256, flows()).build())));
        seeds.put("withdrawals", seed(PENDING,
                step(NO_MOVE, ipfix(0).standardTemplates(256).addFlows(256, flows()).build()),
                step(ONE_SECOND, ipfix(3).withdrawTemplate(256).withdrawAllOptionsTemplates().build()),
                step(ONE_SECOND, ipfix(3).addFlows(256, flows()).build()),
                step(ONE_SECOND, ipfix(6).standardTemplates(256).withdrawAllTemplates().build())));
        seeds.put("data-before-template", seed(PENDING,
                step(NO_MOVE, ipfix(0).addFlows(256, flows()).build()),
                step(ONE_SECOND, ipfix(3).standardTemplates(256).build()),
                step(ONE_SECOND, ipfix(3).addFlows(256, flows()).build())));
        return seeds;
    }

    /**
     * Template files as a stage saves them (v9 and IPFIX templates, options, sampling rates, keyed by address
     * and by address and port), each followed by the body of a standard IPv4 data set.
     */
    static Map<String, byte[]> templateFiles(Path dir) throws Exception {
        byte[] flowsSet = ipfix(0).addFlows(256, flows().subList(0, 2)).build();
        byte[] body = Arrays.copyOfRange(flowsSet, IpfixBuilder.HEADER_SIZE + 4, flowsSet.length);
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("v9-and-ipfix", TemplateFileFuzzTest.encode(savedBy(dir.resolve("a.bin"), false,
                v9(1).optionsSampling(300, 5, 2, 512).standardTemplates(256).build(),
                ipfix(0).optionsSelector(400, 1, 1, 99).standardTemplates(256).build()), body));
        seeds.put("by-port-enterprise", TemplateFileFuzzTest.encode(savedBy(dir.resolve("b.bin"), true,
                ipfix(0).template(300, field(IpfixBuilder.OCTET_DELTA_COUNT, 4), varField(IpfixBuilder.INTERFACE_NAME),
                        field(1, 4, 9), field(IpfixBuilder.SOURCE_IPV4_ADDRESS, 4)).standardTemplateIpv4(256).build()),
                body));
        return seeds;
    }

    /** The file a stage saves at close after these datagrams, the first from 192.0.2.1:2055, the next from .2, ... */
    private static byte[] savedBy(Path file, boolean byPort, byte[]... datagrams) throws Exception {
        Files.deleteIfExists(file);
        try (NetflowFuzzHarness h = NetflowFuzzHarness.start(4, Map.of("templateFile", file.toString(),
                "templateKeyIncludesPort", String.valueOf(byPort)))) {
            for (int i = 0; i < datagrams.length; i++) {
                h.feed(datagrams[i], Step.of(i, 0, datagrams[i]).sender(2055));
            }
        }
        return Files.readAllBytes(file);
    }

    private static IpfixBuilder ipfix(long sequence) {
        return new IpfixBuilder().observationDomain(1).sequence(sequence).exportTime(EXPORT_S);
    }
}
