package io.caravan.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.metrics.Histogram;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginHistogramTest {
    @TempDir
    Path data;

    @Test
    void aPluginHistogramIsScrapedWithItsExactNameAndBucketsAndLeavesWithItsContext() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerPluginContext context = new MicrometerPluginContext("p", Clock.systemUTC(), new MeterLeases(prometheus), data);
        Histogram h = context.histogram("flow_latency_microseconds", new double[] {1e3, 1e4}, "protocol", "tcp");
        h.record(1800);
        h.record(9400);
        h.record(50_000);

        String scrape = prometheus.scrape();
        assertThat(scrape).contains("# TYPE flow_latency_microseconds histogram")
                .contains("flow_latency_microseconds_bucket{protocol=\"tcp\",le=\"1000.0\"} 0")
                .contains("flow_latency_microseconds_bucket{protocol=\"tcp\",le=\"10000.0\"} 2")
                .contains("flow_latency_microseconds_bucket{protocol=\"tcp\",le=\"+Inf\"} 3")
                .contains("flow_latency_microseconds_count{protocol=\"tcp\"} 3")
                .contains("flow_latency_microseconds_sum{protocol=\"tcp\"} 61200.0");
        assertThatThrownBy(() -> context.histogram("flow_latency_microseconds", new double[] {1}, "other", "x"))
                .isInstanceOf(IllegalArgumentException.class);

        // Counters and gauges keep their names too (counters gain _total): the Skupper 1.x series.
        context.counter("flows", "protocol", "tcp").increment(2);
        context.gauge("active_flows", () -> 3, "protocol", "tcp");
        assertThat(prometheus.scrape()).contains("flows_total{protocol=\"tcp\"} 2.0")
                .contains("active_flows{protocol=\"tcp\"} 3.0");

        context.close();
        assertThat(prometheus.scrape()).doesNotContain("flow_latency_microseconds");
    }
}
