package io.caravan.skydive.classify;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.api.metrics.Counter;
import io.caravan.api.net.Cidr;
import io.caravan.skydive.topology.Gremlin;
import io.caravan.skydive.topology.Topology;
import io.caravan.skydive.topology.TopologyException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * The Kubernetes node addresses the analyzer's topology knows ({@value #QUERY}): per node the
 * first {@code ExternalIP} of {@code K8s.Extra.Status.Addresses}, else its {@code InternalIP}, as a
 * host prefix. Until a query has answered it is retried every {@code retryMs}; after that it is
 * refreshed every {@code refreshMs}. Queries run on one daemon thread of its own, started by
 * {@link #poke} when one is due by the injected clock, so the data path never waits on the
 * analyzer and tests drive the schedule with a settable clock. Thread-safe.
 */
final class NodeDiscovery implements AutoCloseable {
    static final String QUERY = "G.V().Has('Manager','k8s','Type','node')";

    private final Topology topology;
    private final Clock clock;
    private final long retryMs;
    private final long refreshMs;
    private final Counter queries;
    private final Counter failures;
    private final Logger log;
    private final ExecutorService worker;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile List<Cidr> nodes = List.of();
    private volatile boolean answered;
    private volatile long nextAttemptMs;
    private volatile long lastAnswerMs;
    private volatile String lastError = "";
    private volatile long failureCount;

    NodeDiscovery(Topology topology, Clock clock, long retryMs, long refreshMs, Counter queries, Counter failures,
                  Logger log) {
        this.topology = topology;
        this.clock = clock;
        this.retryMs = retryMs;
        this.refreshMs = refreshMs;
        this.queries = queries;
        this.failures = failures;
        this.log = log;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "skydive-node-discovery");
            t.setDaemon(true);
            return t;
        });
        this.nextAttemptMs = clock.millis();
    }

    /** Starts a query in the background when one is due and none is running; never blocks. */
    void poke() {
        if (clock.millis() < nextAttemptMs || !running.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.execute(this::refresh);
        } catch (RejectedExecutionException closed) {
            running.set(false);
        }
    }

    /** The node host prefixes of the last answer (empty before the first). */
    List<Cidr> nodes() {
        return nodes;
    }

    /** Why classification runs on the configured subnets alone, or empty once the topology answered. */
    Optional<String> degraded() {
        if (answered) {
            return Optional.empty();
        }
        return Optional.of("k8s node addresses not discovered yet (" + failureCount + " failed queries"
                + (lastError.isEmpty() ? "" : ", last: " + lastError) + "); classifying with the configured subnets only");
    }

    Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("discovered", answered);
        s.put("nodes", nodes.stream().map(Cidr::toString).toList());
        s.put("failures", failureCount);
        s.put("lastError", lastError);
        s.put("lastAnswerMs", lastAnswerMs);
        s.put("nextAttemptMs", nextAttemptMs);
        return s;
    }

    private void refresh() {
        try {
            queries.increment();
            List<Cidr> found = parse(topology.query(QUERY));
            nodes = found;
            lastAnswerMs = clock.millis();
            if (!answered) {
                log.info("discovered {} k8s node address(es) from the analyzer topology: {}", found.size(), found);
            }
            lastError = "";
            nextAttemptMs = clock.millis() + refreshMs;
            answered = true;
        } catch (TopologyException | RuntimeException e) {
            // The error first, the counters last: a reader that sees the count also sees why.
            lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            nextAttemptMs = clock.millis() + (answered ? refreshMs : retryMs);
            failureCount++;
            failures.increment();
            if (!answered) {
                log.warn("k8s node discovery failed (retrying every {} ms; configured subnets still apply): {}",
                        retryMs, lastError);
            } else {
                log.warn("k8s node refresh failed (keeping the {} known node addresses): {}", nodes.size(), lastError);
            }
        } finally {
            running.set(false);
        }
    }

    /** Node address per node: the first ExternalIP, else the (last) InternalIP; nodes without either are skipped. */
    static List<Cidr> parse(JsonNode reply) {
        List<Cidr> out = new ArrayList<>();
        for (JsonNode node : reply) {
            String external = "";
            String internal = "";
            for (JsonNode address : Gremlin.field(node, "K8s.Extra.Status.Addresses")) {
                String type = address.path("Type").asText("");
                String ip = address.path("Address").asText("");
                if (type.equals("ExternalIP") && external.isEmpty()) {
                    external = ip;
                } else if (type.equals("InternalIP")) {
                    internal = ip;
                }
            }
            String ip = external.isEmpty() ? internal : external;
            if (ip.isEmpty()) {
                continue;
            }
            try {
                out.add(Cidr.parse(ip));
            } catch (IllegalArgumentException notAnAddress) {
                // A node name instead of an address: nothing to classify by.
            }
        }
        return List.copyOf(out);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
