package io.caravan.erspan;

import io.caravan.testkit.RecordingStageContext;
import java.nio.file.Files;
import java.time.Clock;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Run by {@link ErspanComponentTest} in a child JVM without CAP_NET_RAW: starts a route ending in
 * erspan: and prints what its start threw, on one line after "START FAILED: ", or "STARTED".
 */
public final class StartWithoutCapNetRaw {
    private StartWithoutCapNetRaw() {
    }

    public static void main(String[] args) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.addComponent("erspan", new ErspanComponentProvider().create(
                new RecordingStageContext("erspan", Clock.systemUTC(), Files.createTempDirectory("erspan"))));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").routeId("mirror").to("erspan:mirror?target=127.0.0.1");
            }
        });
        try {
            camel.start();
            System.out.println("STARTED");
        } catch (Exception e) {
            Throwable t = e;
            StringBuilder messages = new StringBuilder();
            while (t != null) {
                messages.append(t.getMessage()).append(" | ");
                t = t.getCause();
            }
            System.out.println("START FAILED: " + messages);
        } finally {
            camel.stop();
        }
    }
}
