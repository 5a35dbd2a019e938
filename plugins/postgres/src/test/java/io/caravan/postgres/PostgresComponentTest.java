package io.caravan.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.flow.Origin;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.peers.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The component in a real CamelContext against a real PostgreSQL server from Debian. */
class PostgresComponentTest {
    private static final Path PG_HOME = Path.of("target", "pg");
    private static PostgresServer pg;

    @TempDir
    Path data;

    private CamelContext camel;
    private RecordingStageContext context;
    private ProducerTemplate template;
    private String table;

    @BeforeAll
    static void startPostgres() throws Exception {
        Files.createDirectories(PG_HOME);
        pg = PostgresServer.start(PG_HOME.toAbsolutePath());
    }

    @AfterAll
    static void stopPostgres() {
        if (pg != null) {
            pg.close();
        }
    }

    @AfterEach
    void stopCamel() {
        if (camel != null) {
            camel.stop();
        }
    }

    private void start(String tableName, String options) throws Exception {
        table = tableName;
        context = new RecordingStageContext("postgres", Clock.systemUTC(), data);
        camel = new DefaultCamelContext();
        camel.addComponent("postgres", new PostgresComponentProvider().create(context));
        String uri = "postgres:" + tableName + "?url=" + pg.jdbcUrl() + "&user=" + PostgresServer.USER + "&password="
                + PostgresServer.PASSWORD + options;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(uri);
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    private static FlowRecord flow(int i) {
        return new FlowRecord().type(FlowType.IPFIX).timeReceivedNs(1_700_000_000_123_456_789L)
                .timeFlowStartNs(1_700_000_000_000_000_000L).timeFlowEndNs(1_700_000_001_500_000_000L)
                .sequenceNum(i).samplingRate(100).samplerAddress(new byte[] {(byte) 192, 0, 2, 1})
                .srcAddr(new byte[] {10, 0, 0, (byte) i}).dstAddr(ipv6(i)).srcAs(64_512).dstAs(4_200_000_000L)
                .etype(0x86dd).proto(6).srcPort(40_000 + i).dstPort(443).bytes(1000L * i).packets(i).tcpFlags(0x1b)
                .inIf(3).outIf(7);
    }

    private static byte[] ipv6(int i) {
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = (byte) 0xb8;
        a[15] = (byte) i;
        return a;
    }

    private void send(int from, int to) {
        List<FlowRecord> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(flow(i));
        }
        template.sendBody("direct:in", new FlowBatch(Origin.UNKNOWN, records));
    }

    private long rows() throws Exception {
        String n = pg.psql("SELECT count(*) FROM " + table);
        return Long.parseLong(n);
    }

    @Test
    void createsTheTableAndWritesEveryColumn() throws Exception {
        start("flows_columns", "&flushInterval=50ms");
        send(1, 4);

        await().atMost(Duration.ofSeconds(30)).until(() -> tableExists("flows_columns") && rows() == 3);
        assertThat(pg.psql("SELECT date, time_received, time_flow_start, time_flow_end, type, sequence_num, sampling_rate,"
                + " sampler_address, src_addr, dst_addr, src_as, dst_as, etype, proto, src_port, dst_port, bytes, packets,"
                + " tcp_flags, in_if, out_if FROM flows_columns WHERE sequence_num = 2"))
                .isEqualTo("2023-11-14|2023-11-14 22:13:20.123457+00|2023-11-14 22:13:20+00|2023-11-14 22:13:21.5+00"
                        + "|IPFIX|2|100|192.0.2.1|10.0.0.2|2001:db8::2|64512|4200000000|34525|6|40002|443|2000|2|27|3|7");
        assertThat(context.sum("caravan.postgres.records.out")).isEqualTo(3);
    }

    @Test
    void aFullBatchIsSentWithoutWaitingForTheInterval() throws Exception {
        start("flows_batch", "&batchRecords=10&flushInterval=1h");
        send(0, 25);

        await().atMost(Duration.ofSeconds(30)).until(() -> tableExists("flows_batch") && rows() == 20);
        assertThat(context.gauge("caravan.postgres.buffered.records", java.util.Map.of("table", "flows_batch")))
                .hasValue(5.0);
    }

    @Test
    void rowsAcceptedWhileTheDatabaseIsDownAreSpooledAndSentWhenItIsBack() throws Exception {
        start("flows_outage", "&flushInterval=20ms&retryMax=500ms&connectTimeout=250ms");
        send(0, 10);
        await().atMost(Duration.ofSeconds(30)).until(() -> tableExists("flows_outage") && rows() == 10);

        pg.stop();
        try {
            for (int i = 0; i < 5; i++) {
                send(10 + i * 10, 20 + i * 10);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> context.sum("caravan.postgres.records.spooled") == 50);
            assertThat(context.sum("caravan.postgres.failures")).isPositive();
            PostgresEndpoint endpoint = camel.getEndpoints().stream().filter(PostgresEndpoint.class::isInstance)
                    .map(PostgresEndpoint.class::cast).findFirst().orElseThrow();
            assertThat(endpoint.degraded()).hasValueSatisfying(d -> assertThat(d).contains("unavailable", "spooled"));
            assertThat(endpoint.status()).containsEntry("table", "flows_outage").containsKey("spoolBytes");
            assertThat(endpoint.status().toString()).doesNotContain(PostgresServer.PASSWORD);
            // A retry renames pending to sending while it tries: the spool is the two together.
            assertThat(sizeOrZero(data.resolve("spool/flows_outage/pending.copy"))
                    + sizeOrZero(data.resolve("spool/flows_outage/sending.copy"))).isPositive();
        } finally {
            pg.start();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> rows() == 60);
        assertThat(camel.getEndpoints().stream().filter(PostgresEndpoint.class::isInstance).map(PostgresEndpoint.class::cast)
                .findFirst().orElseThrow().degraded()).isEmpty();
        assertThat(pg.psql("SELECT count(DISTINCT sequence_num) FROM flows_outage")).isEqualTo("60");
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(data.resolve("spool/flows_outage/pending.copy"))
                && !Files.exists(data.resolve("spool/flows_outage/sending.copy")));
    }

    @Test
    void aCleanStopWithTheDatabaseDownSpoolsAndTheNextStartSendsIt() throws Exception {
        start("flows_restart", "&flushInterval=1h&retryMax=200ms&connectTimeout=250ms");
        send(0, 1);
        camel.stop();
        // First rows sent on the stop: the table exists now.
        assertThat(rows()).isEqualTo(1);

        start("flows_restart", "&flushInterval=1h&retryMax=200ms&connectTimeout=250ms");
        pg.stop();
        try {
            send(1, 31);
            camel.stop();
            assertThat(Files.size(data.resolve("spool/flows_restart/pending.copy"))).isPositive();
        } finally {
            pg.start();
        }

        start("flows_restart", "&flushInterval=1h");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows() == 31);
    }

    @Test
    void rowsTheTableRefusesAreSetAsideAndCountedNotRetriedForEver() throws Exception {
        pg.psql("CREATE TABLE flows_narrow (date date, time_received timestamptz, time_flow_start timestamptz,"
                + " time_flow_end timestamptz, type text, sequence_num bigint, sampling_rate bigint, sampler_address inet,"
                + " src_addr inet, dst_addr inet, src_as bigint, dst_as bigint, etype integer, proto smallint,"
                + " src_port smallint, dst_port integer, bytes bigint, packets bigint, tcp_flags smallint, in_if bigint,"
                + " out_if bigint)");
        start("flows_narrow", "&flushInterval=20ms");
        // src_port 40000 + i does not fit the operator's smallint column.
        send(1, 3);

        await().atMost(Duration.ofSeconds(30)).until(() -> context.sum("caravan.postgres.batches.rejected") == 1);
        assertThat(Files.readString(data.resolve("spool/flows_narrow/rejected.copy")).lines()).hasSize(2);
        assertThat(rows()).isZero();
        assertThat(context.sum("caravan.postgres.failures")).isZero();
    }

    @Test
    void aBadOptionFailsTheEndpointNamingIt() {
        camel = new DefaultCamelContext();
        camel.addComponent("postgres", new PostgresComponentProvider().create(
                new RecordingStageContext("postgres", Clock.systemUTC(), data)));
        camel.start();
        assertThatThrownBy(() -> camel.getEndpoint("postgres:flows?url=jdbc:postgresql://h/db&poolSize=0"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("option 'poolSize'");
        assertThatThrownBy(() -> camel.getEndpoint("postgres:flows?url=mysql://h/db"))
                .hasMessageContaining("pgJDBC URL");
        assertThatThrownBy(() -> camel.getEndpoint("postgres:Flows;drop?url=jdbc:postgresql://h/db"))
                .hasMessageContaining("table name");
    }

    /** The file's size, 0 when it does not exist (also when it is renamed away while asked). */
    private static long sizeOrZero(Path p) throws java.io.IOException {
        try {
            return Files.size(p);
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        }
    }

    private static boolean tableExists(String name) throws Exception {
        return "t".equals(pg.psql("SELECT to_regclass('" + name + "') IS NOT NULL"));
    }
}
