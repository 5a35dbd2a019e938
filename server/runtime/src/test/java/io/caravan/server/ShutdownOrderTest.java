package io.caravan.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class ShutdownOrderTest {

    @Test
    void routesFedFromOutsideStopFirstAndRoutesFedByRoutesKeepRunning() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("timer:source?period=60000&delay=60000").routeId("source").to("seda:deliver");
                    from("seda:deliver").routeId("deliver").to("log:x?level=OFF");
                    from("direct:helper").routeId("helper").to("log:y?level=OFF");
                }
            });
            camel.start();

            ShutdownOrder.stopSources(camel, 5);

            assertThat(camel.getRouteController().getRouteStatus("source")).isEqualTo(ServiceStatus.Stopped);
            assertThat(camel.getRouteController().getRouteStatus("deliver")).isEqualTo(ServiceStatus.Started);
            assertThat(camel.getRouteController().getRouteStatus("helper")).isEqualTo(ServiceStatus.Started);
        }
    }
}
