package io.caravan.traffic.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProtocolTest {
    @ParameterizedTest
    @EnumSource(Protocol.class)
    void theRecordLimitIsTheMostThatFitsOneUnfragmentedPacket(Protocol protocol) {
        assertThat(largestDatagram(protocol, protocol.maxRecords())).isLessThanOrEqualTo(Protocol.MAX_DATAGRAM);
        if (protocol != Protocol.NETFLOW_V5) {
            assertThat(largestDatagram(protocol, protocol.maxRecords() + 1)).isGreaterThan(Protocol.MAX_DATAGRAM);
        }
    }

    @Test
    void namesAreTheCommandLineOnes() {
        assertThat(Protocol.names()).isEqualTo("netflow-v5, netflow-v9, ipfix, sflow");
        assertThat(Protocol.byName("IPFIX")).contains(Protocol.IPFIX);
        assertThat(Protocol.byName("netflow_v9")).contains(Protocol.NETFLOW_V9);
        assertThat(Protocol.byName("netflow")).isEmpty();
    }

    @Test
    void aPlanOutsideTheLimitsIsRefused() {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
        assertThatThrownBy(() -> new GeneratorPlan(Protocol.IPFIX, target, 0, 1, 1, 19, 1))
                .hasMessage("ipfix carries 1 to 18 records per datagram here");
        assertThatThrownBy(() -> new GeneratorPlan(Protocol.SFLOW, target, 0, 1, 251, 1, 1))
                .hasMessageContaining("exporters 1..250");
    }

    /** The largest of two template cycles of datagrams, templates included, over several seeds. */
    private static int largestDatagram(Protocol protocol, int records) {
        int largest = 0;
        for (long seed = 1; seed <= 5; seed++) {
            ExporterStream s = ExporterStream.create(protocol, 0, InetAddress.getLoopbackAddress(), records, seed);
            for (int i = 0; i < 2 * ExporterStream.TEMPLATE_EVERY; i++) {
                largest = Math.max(largest, s.next(1_000_000L + i).length);
            }
        }
        return largest;
    }
}
