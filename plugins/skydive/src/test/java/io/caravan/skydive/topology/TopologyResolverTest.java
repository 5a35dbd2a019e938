package io.caravan.skydive.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.metrics.Counter;
import io.caravan.skydive.testing.TopologyServer;
import io.caravan.testkit.SettableClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TopologyResolverTest {
    static final String TID = "tid-1";
    static final String RUNC = "G.V().Has('Runc.Hosts.IP','10.1.2.3').ShortestPathTo(Metadata('TID','tid-1'))";
    static final String POD = "G.V().Has('K8s.Extra.Status.ContainerStatuses.ContainerID','containerd://c0ffee')";
    static final String DOCKER = "G.V().Has('IPV4',Regex('172.17.0.5/.*')).ShortestPathTo(Metadata('TID','tid-1'))"
            + ".Dedup().In('Type','netns').Out('Type','container')";
    static final String VM = "G.V().Has('RoutingTables.Src','192.168.1.10').In().Has('Type','host')";

    private TopologyServer server;
    private final SettableClock clock = new SettableClock(1_700_000_000_000L);
    private final AtomicLong errors = new AtomicLong();
    private TopologyResolver resolver;

    @BeforeEach
    void start() throws Exception {
        server = new TopologyServer();
        resolver = new TopologyResolver(new GremlinClient(server.base(), "", "", Duration.ofSeconds(5)), clock, 100,
                (Counter) errors::addAndGet, LoggerFactory.getLogger("test"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void nodeTypeIsCachedFiveMinutesPerTid() {
        server.answer(Gremlin.byTid(TID), "[{\"ID\":\"1\",\"Metadata\":{\"Type\":\"veth\",\"TID\":\"tid-1\"}}]");

        assertThat(resolver.nodeType(TID)).isEqualTo("veth");
        assertThat(resolver.nodeType(TID)).isEqualTo("veth");
        assertThat(server.count(Gremlin.byTid(TID))).isEqualTo(1);

        clock.advance(TopologyResolver.TYPE_TTL_MS);
        assertThat(resolver.nodeType(TID)).isEqualTo("veth");
        assertThat(server.count(Gremlin.byTid(TID))).isEqualTo(2);
    }

    @Test
    void runcPeerResolvesToItsPodWithOwnerSet() {
        server.answer(RUNC, "[[{\"ID\":\"r\",\"Metadata\":{\"Runc\":{\"ContainerID\":\"c0ffee\","
                + "\"Hosts\":{\"IP\":\"10.1.2.3\",\"Hostname\":\"web-1\"}}}},{\"ID\":\"t\"}]]");
        server.answer(POD, "[{\"ID\":\"p\",\"Metadata\":{\"K8s\":{\"Namespace\":\"default\",\"Name\":\"web-1\","
                + "\"Extra\":{\"ObjectMeta\":{\"OwnerReferences\":[{\"Kind\":\"ReplicaSet\",\"Name\":\"web-5d8f\"}]}}}}}]");

        PeerContext peer = resolver.peer("10.1.2.3", TID).orElseThrow();

        assertThat(peer).isEqualTo(new PeerContext("pod", "default/web-1", "ReplicaSet:default/web-5d8f"));
        assertThat(peer.legacyName()).isEqualTo("0_0_default-web-1_0");
        resolver.peer("10.1.2.3", TID);
        assertThat(server.count(RUNC)).isEqualTo(1);
        assertThat(errors.get()).isZero();
    }

    @Test
    void runcWithoutPodIsAContainer() {
        server.answer(RUNC, "[{\"ID\":\"r\",\"Metadata\":{\"Runc\":{\"ContainerID\":\"c0ffee\","
                + "\"Hosts\":{\"Hostname\":\"job-7\"}}}}]");

        assertThat(resolver.peer("10.1.2.3", TID)).contains(new PeerContext("container", "job-7", ""));
        assertThat(new PeerContext("container", "job-7", "").legacyName()).isEmpty();
    }

    @Test
    void dockerThenVmAreTriedInOrder() {
        server.answer(DOCKER, "[{\"ID\":\"c\",\"Metadata\":{\"Name\":\"redis\",\"Docker\":{\"ContainerID\":\"abc\"}}}]");
        server.answer(VM, "[{\"ID\":\"h\",\"Metadata\":{\"Name\":\"hv-3\",\"Type\":\"host\"}}]");

        assertThat(resolver.peer("172.17.0.5", TID)).contains(new PeerContext("container", "redis", ""));
        assertThat(resolver.peer("192.168.1.10", TID)).contains(new PeerContext("host", "hv-3", ""));
        assertThat(resolver.peer("8.8.8.8", TID)).isEmpty();
        assertThat(server.queries()).contains(
                "G.V().Has('K8s.Extra.Status.ContainerStatuses.ContainerID','docker://abc')");
    }

    @Test
    void failuresAnswerEmptyAreCountedAndCached() {
        server.failWith(503);

        assertThat(resolver.nodeType(TID)).isEmpty();
        assertThat(resolver.firstString("G.V().Values('Host')")).isEmpty();
        assertThat(resolver.nodeType(TID)).isEmpty();
        assertThat(errors.get()).isEqualTo(2);
        assertThat(resolver.status()).containsEntry("errors", 2L);
        assertThat((String) resolver.status().get("lastError")).contains("HTTP 503");
    }

    @Test
    void extendTakesTheFirstStringAndCachesTenMinutes() {
        server.answer("G.V().Values('Host')", "[\"node-a\",\"node-b\"]");

        assertThat(resolver.firstString("G.V().Values('Host')")).isEqualTo("node-a");
        clock.advance(TopologyResolver.EXTEND_TTL_MS - 1);
        assertThat(resolver.firstString("G.V().Values('Host')")).isEqualTo("node-a");
        assertThat(server.count("G.V().Values('Host')")).isEqualTo(1);
        clock.advance(1);
        resolver.firstString("G.V().Values('Host')");
        assertThat(server.count("G.V().Values('Host')")).isEqualTo(2);
    }

    @Test
    void interfaceAddressesDropThePrefixLength() {
        server.answer(Gremlin.byTid(TID), "[{\"ID\":\"1\",\"Metadata\":{\"IPV4\":[\"10.0.0.7/24\",\"10.0.1.7/24\"]}}]");

        assertThat(resolver.interfaceAddresses(TID)).containsExactly("10.0.0.7", "10.0.1.7");
    }
}
