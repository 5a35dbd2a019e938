package io.caravan.erspan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.traffic.packet.PacketBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErspanTsharkTest {
    @TempDir
    Path dir;

    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void dump() throws Exception {
        RecordingStageContext context = new RecordingStageContext("erspan", Clock.systemUTC(), dir);
        camel.addComponent("erspan", new ErspanComponentProvider().create(context));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("erspan:t?target=127.0.0.1&version=3&sessionId=1023&vlan=100&timestamp=ieee1588&indexFrom=fixed&index=77");
            }
        });
        camel.start();
        byte[] frame = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1000, 2000).payloadSize(40).build();
        FlowRecord r = new FlowRecord().inIf(5).timeReceivedNs(1_700_000_000_123_456_789L).attribute("frame", frame);
        try (GreCapture c = GreCapture.start(dir, 1)) {
            camel.createProducerTemplate().sendBody("direct:in", FlowBatch.of(Origin.UNKNOWN, r));
            System.out.println(c.packets());
        }
    }
}
