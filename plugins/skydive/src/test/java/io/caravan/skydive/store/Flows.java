package io.caravan.skydive.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.flow.Origin;
import java.util.ArrayList;
import java.util.List;

/** Records as the store receives them: a tag and a transformed secadvisor-like record. */
final class Flows {
    private Flows() {
    }

    static ObjectNode secadvisor(String uuid, long start) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("UUID", uuid);
        r.put("LayersPath", "Ethernet/IPv4/TCP");
        r.put("Version", "1.1.0");
        r.put("Status", "UPDATED");
        ObjectNode network = r.putObject("Network");
        network.put("Protocol", "IPV4").put("A", "10.1.2.3").put("B", "93.184.216.34");
        ObjectNode transport = r.putObject("Transport");
        transport.put("Protocol", "TCP").put("A", "51234").put("B", "443");
        r.putObject("Metric").put("ABBytes", 1200).put("BABytes", 5400);
        r.put("Start", start);
        r.put("Last", start + 1000);
        r.put("UpdateCount", 3);
        r.put("LogStatus", "OK");
        return r;
    }

    static FlowRecord record(String tag, ObjectNode record) {
        return new FlowRecord().type(FlowType.SKYDIVE).attribute(StoreConstants.TAG, tag)
                .attribute(StoreConstants.RECORD, record);
    }

    /** {@code n} records of one tag, UUIDs {@code <tag>-<from + i>}. */
    static FlowBatch batch(String tag, int from, int n) {
        List<FlowRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(record(tag, secadvisor(tag + "-" + (from + i), 1_700_000_000_000L + i)));
        }
        return new FlowBatch(Origin.UNKNOWN, out);
    }
}
