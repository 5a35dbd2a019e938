package io.caravan.netflow;

import static io.caravan.netflow.ie.InformationElements.OCTET_DELTA_COUNT;
import static io.caravan.netflow.ie.InformationElements.SELECTOR_ID;
import static io.caravan.traffic.datagram.IpfixBuilder.field;
import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.flow.FlowRecord;
import io.caravan.traffic.datagram.IpfixBuilder;
import io.caravan.traffic.datagram.NetflowV9Builder;
import io.caravan.traffic.datagram.SyntheticFlow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplatePersistenceTest {
    @TempDir
    Path dir;

    private static final SyntheticFlow FLOW = SyntheticFlow.of(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2}, 1, 2,
            17, 1, 100, 1_700_000_000_000L - 1000, 1_700_000_000_000L);

    @Test
    void closeWritesAndANewStageDecodesDataWithoutTemplates() throws Exception {
        Path file = dir.resolve("state/templates.bin");
        StageUnderTest first = StageUnderTest.create(Map.of("templateFile", file.toString()));
        first.decode(new NetflowV9Builder().sourceId(1).standardTemplates(256).optionsSampling(400, 3, 2, 500).build());
        first.decode(new IpfixBuilder().observationDomain(9).standardTemplates(256).optionsSelector(401, 7, 1, 63)
                .template(300, field(SELECTOR_ID, 4), field(OCTET_DELTA_COUNT, 4), field(5, 4, 2636)).build());
        first.stage().close();
        assertThat(file).exists();
        assertThat(Files.list(file.getParent())).containsExactly(file);

        StageUnderTest second = StageUnderTest.create(Map.of("templateFile", file.toString()));
        List<FlowRecord> v9 = second.decode(new NetflowV9Builder().sourceId(1).addFlows(256, List.of(FLOW)).build())
                .records();
        assertThat(v9).hasSize(1);
        assertThat(v9.get(0).bytes()).isEqualTo(100);

        IpfixBuilder b = new IpfixBuilder().observationDomain(9);
        List<FlowRecord> ipfix = second.decode(b.addFlows(256, List.of(FLOW)).data(300, IpfixBuilder
                .record(field(SELECTOR_ID, 4), field(OCTET_DELTA_COUNT, 4), field(5, 4, 2636))
                .set(SELECTOR_ID, 7).set(OCTET_DELTA_COUNT, 5).set(2636, 5, 6).bytes()).build()).records();
        assertThat(ipfix).extracting(FlowRecord::bytes).containsExactly(100L, 5L);
        assertThat(ipfix.get(1).samplingRate()).isEqualTo(64);
        assertThat(ipfix.get(1).attributes()).containsEntry("pen:2636:ie:5", 6L);
        assertThat(NetflowV9DecodeTest.templates(second)).hasSize(7);
        assertThat(NetflowV9DecodeTest.status(second).get("samplingRates")).asList().hasSize(2);
    }

    @Test
    void changedTemplatesAreAlsoSavedPeriodically() throws Exception {
        Path file = dir.resolve("templates.bin");
        StageUnderTest c = StageUnderTest.create(Map.of("templateFile", file.toString(), "templateSaveInterval", "5s"));
        c.decode(new NetflowV9Builder().standardTemplates(256).build());
        assertThat(file).doesNotExist();
        c.advance(6_000);
        c.decode(new NetflowV9Builder().sequence(1).build());
        assertThat(file).exists();
    }

    @Test
    void restoredTemplatesKeepTheirRefreshTimeAndExpire() throws Exception {
        Path file = dir.resolve("templates.bin");
        StageUnderTest first = StageUnderTest.create(Map.of("templateFile", file.toString(), "templateTimeout", "1m"));
        first.decode(new NetflowV9Builder().standardTemplates(256).build());
        first.stage().close();
        // The new stage's clock starts at the same instant: move it past the timeout before loading.
        StageUnderTest second = StageUnderTest.create(Map.of("templateFile", file.toString(), "templateTimeout", "1m"));
        assertThat(second.stage().status().get("templates")).isEqualTo(2);
        second.advance(61_000);
        assertThat(second.decode(new NetflowV9Builder().sequence(1).addFlows(256, List.of(FLOW)).build()).records())
                .isEmpty();
    }

    @Test
    void aCorruptFileIsSetAsideTheStageStartsEmptyAndTheFileIsReplacedAtClose() throws Exception {
        Path file = dir.resolve("templates.bin");
        Files.write(file, new byte[] {1, 2, 3, 4, 5});
        StageUnderTest c = StageUnderTest.create(Map.of("templateFile", file.toString()));
        assertThat(c.stage().status().get("templates")).isEqualTo(0);
        assertThat(file).doesNotExist();
        assertThat(rejected()).singleElement().satisfies(p -> {
            assertThat(p.getFileName().toString()).matches("templates\\.bin\\.rejected-\\d{8}T\\d{6}\\.\\d{3}Z");
            assertThat(Files.readAllBytes(p)).containsExactly(1, 2, 3, 4, 5);
        });
        c.decode(new NetflowV9Builder().template(300, OCTET_DELTA_COUNT, 4).build());
        c.stage().close();
        StageUnderTest again = StageUnderTest.create(Map.of("templateFile", file.toString()));
        assertThat(again.stage().status().get("templates")).isEqualTo(1);
    }

    @Test
    void aFileThatPromisesMillionsOfTemplatesIsSetAsideWithoutAllocatingThem() throws Exception {
        Path file = dir.resolve("templates.bin");
        // A good header and a template count of 2^31-1, then nothing: a loader that trusted it would allocate first.
        Files.write(file, java.nio.ByteBuffer.allocate(12).putInt(0x43525654).putInt(1).putInt(Integer.MAX_VALUE)
                .array());
        StageUnderTest c = StageUnderTest.create(Map.of("templateFile", file.toString()));
        assertThat(c.stage().status().get("templates")).isEqualTo(0);
        assertThat(rejected()).hasSize(1);
    }

    @Test
    void aFileOverTheSizeLimitIsSetAsideUnread() throws Exception {
        Path file = dir.resolve("templates.bin");
        StageUnderTest first = StageUnderTest.create(Map.of("templateFile", file.toString()));
        for (int i = 0; i < 5; i++) {
            first.decode(new NetflowV9Builder().sourceId(i).standardTemplates(256).build());
        }
        first.stage().close();
        assertThat(Files.size(file)).isGreaterThan(1024);

        StageUnderTest second = StageUnderTest.create(Map.of("templateFile", file.toString(),
                "maxTemplateFileSize", "1KiB"));
        assertThat(second.stage().status().get("templates")).isEqualTo(0);
        assertThat(rejected()).singleElement().satisfies(p -> assertThat(Files.size(p)).isGreaterThan(1024));
    }

    @Test
    void aSaveNeverWritesMoreThanTheLimitAndKeepsTheMostRecentTemplates() throws Exception {
        Path file = dir.resolve("templates.bin");
        StageUnderTest c = StageUnderTest.create(Map.of("templateFile", file.toString(), "maxTemplateFileSize",
                "2KiB"));
        for (int i = 0; i < 40; i++) {
            c.decode(new IpfixBuilder().template(256 + i, field(OCTET_DELTA_COUNT, 4), field(2, 4), field(4, 1))
                    .build());
            c.advance(1);
        }
        c.stage().close();
        assertThat(Files.size(file)).isLessThanOrEqualTo(2048);
        assertThat(rejected()).isEmpty();
        StageUnderTest again = StageUnderTest.create(Map.of("templateFile", file.toString()));
        again.decode(new IpfixBuilder().build());
        int kept = (Integer) again.stage().status().get("templates");
        assertThat(kept).isBetween(20, 39);
        assertThat(NetflowV9DecodeTest.templates(again)).extracting(t -> t.get("id")).contains(256 + 39)
                .doesNotContain(256);
    }

    private List<Path> rejected() throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().contains(".rejected-")).toList();
        }
    }
}
