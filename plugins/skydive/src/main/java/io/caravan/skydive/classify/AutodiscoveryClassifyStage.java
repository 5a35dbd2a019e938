package io.caravan.skydive.classify;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.net.Cidr;
import io.caravan.api.stage.Stage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tags each record by the configured subnets plus every discovered Kubernetes node address. The
 * classifier is rebuilt only when discovery brings a new node list, and swapped in as one
 * immutable object, so concurrent calls are safe and a lookup allocates nothing.
 */
final class AutodiscoveryClassifyStage implements Stage<FlowBatch, FlowBatch> {
    private final List<Cidr> configured;
    private final String attribute;
    private final NodeDiscovery discovery;
    private volatile List<Cidr> classifiedNodes;
    private volatile SubnetClassifier classifier;

    AutodiscoveryClassifyStage(List<Cidr> configured, String attribute, NodeDiscovery discovery) {
        this.configured = List.copyOf(configured);
        this.attribute = attribute;
        this.discovery = discovery;
        this.classifiedNodes = List.of();
        this.classifier = new SubnetClassifier(this.configured);
        discovery.poke();
    }

    @Override
    public FlowBatch apply(FlowBatch batch) {
        discovery.poke();
        SubnetClassifier c = current();
        List<FlowRecord> records = batch.records();
        for (int i = 0, n = records.size(); i < n; i++) {
            FlowRecord r = records.get(i);
            r.attribute(attribute, c.classify(r.srcAddr(), r.dstAddr()));
        }
        return batch;
    }

    private SubnetClassifier current() {
        List<Cidr> nodes = discovery.nodes();
        if (nodes != classifiedNodes) {
            List<Cidr> all = new ArrayList<>(configured);
            all.addAll(nodes);
            classifier = new SubnetClassifier(all);
            classifiedNodes = nodes;
        }
        return classifier;
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("subnets", configured.stream().map(Cidr::toString).toList());
        s.putAll(discovery.status());
        return s;
    }

    @Override
    public Optional<String> degraded() {
        return discovery.degraded();
    }

    @Override
    public void close() {
        discovery.close();
    }
}
