package io.caravan.skydive.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.flow.Origin;
import io.caravan.skydive.flow.MalformedFlowException;
import io.caravan.skydive.flow.SkydiveFlowMapper;

/**
 * Test-only Skydive flows as the source hands them on: built by the source's own
 * {@link SkydiveFlowMapper}, so the stages are tested on the records they will really get.
 */
public final class TestFlows {
    public static final ObjectMapper JSON = new ObjectMapper();

    /** The spec's first example flow (TCP 172.17.0.5:51234 → 93.184.216.34:443). */
    public static final String TCP = """
            {"UUID":"9a3e51c07b42d8f1","LayersPath":"Ethernet/IPv4/TCP","Application":"TCP",
             "Link":{"Protocol":"ETHERNET","A":"02:42:ac:11:00:05","B":"02:42:ac:11:00:01","ID":0},
             "Network":{"Protocol":"IPV4","A":"172.17.0.5","B":"93.184.216.34","ID":0},
             "Transport":{"Protocol":"TCP","A":51234,"B":443,"ID":0},
             "LastUpdateMetric":{"ABPackets":12,"ABBytes":1830,"BAPackets":10,"BABytes":14210,"Start":1700000040000,"Last":1700000100000},
             "Metric":{"ABPackets":40,"ABBytes":6120,"BAPackets":35,"BABytes":48800,"Start":1700000012345,"Last":1700000098765,"RTT":1843000},
             "Start":1700000012345,"Last":1700000098765,"TrackingID":"5c1d0e7a3b9f2468","L3TrackingID":"e01f4a6b2c8d9371",
             "ParentUUID":"","NodeTID":"b1c2d3e4-f5a6-5b7c-8d9e-0f1a2b3c4d5e","CaptureID":"7e1b2c3d-4e5f-4a6b-7c8d-9e0f1a2b3c4d",
             "RawPacketsCaptured":0}""";

    /** The spec's second example flow (ICMP echo 10.0.0.7 → 10.0.0.9, VLAN 100, finished by TIMEOUT). */
    public static final String ICMP = """
            {"UUID":"4b7d0c2e9f1a3856","LayersPath":"Ethernet/Dot1Q/IPv4/ICMPv4","Application":"ICMPv4",
             "Link":{"Protocol":"ETHERNET","A":"fa:16:3e:29:e0:82","B":"fa:16:3e:96:06:e8","ID":100},
             "Network":{"Protocol":"IPV4","A":"10.0.0.7","B":"10.0.0.9","ID":0},"ICMP":{"Type":"ECHO","ID":4660},
             "LastUpdateMetric":{"ABPackets":3,"ABBytes":294,"BAPackets":3,"BABytes":294,"Start":1700000600000,"Last":1700000603100},
             "Metric":{"ABPackets":63,"ABBytes":6174,"BAPackets":63,"BABytes":6174,"Start":1700000541000,"Last":1700000603100,"RTT":412000},
             "Start":1700000541000,"Last":1700000603100,"TrackingID":"aa01bb02cc03dd04","L3TrackingID":"0f1e2d3c4b5a6978",
             "ParentUUID":"","NodeTID":"0c9b8a7d-6e5f-5a4b-3c2d-1e0f9a8b7c6d","CaptureID":"7e1b2c3d-4e5f-4a6b-7c8d-9e0f1a2b3c4d",
             "RawPacketsCaptured":0,"FinishType":1}""";

    private TestFlows() {
    }

    public static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A copy of {@code json} with top-level or nested fields replaced: {@code "Network.A", "10.1.2.3"}. */
    public static ObjectNode with(String json, Object... pathValues) {
        ObjectNode flow = parse(json);
        for (int i = 0; i < pathValues.length; i += 2) {
            String[] path = ((String) pathValues[i]).split("\\.");
            ObjectNode at = flow;
            for (int p = 0; p < path.length - 1; p++) {
                at = at.has(path[p]) ? (ObjectNode) at.get(path[p]) : at.putObject(path[p]);
            }
            String key = path[path.length - 1];
            Object v = pathValues[i + 1];
            if (v == null) {
                at.remove(key);
            } else if (v instanceof Long || v instanceof Integer) {
                at.put(key, ((Number) v).longValue());
            } else {
                at.put(key, v.toString());
            }
        }
        return flow;
    }

    /**
     * The record the source hands on for this flow (the real {@link SkydiveFlowMapper}); a flow the
     * source would refuse (no UUID, Start or Last) becomes a bare SKYDIVE record around it, for the
     * stages' bad-input tests.
     */
    public static FlowRecord record(ObjectNode flow) {
        try {
            return SkydiveFlowMapper.toRecord(flow, 0, null);
        } catch (MalformedFlowException e) {
            return new FlowRecord().type(FlowType.SKYDIVE).source(flow);
        }
    }

    public static FlowRecord record(String json) {
        return record(parse(json));
    }

    public static FlowBatch batch(FlowRecord... records) {
        return FlowBatch.of(Origin.UNKNOWN, records);
    }
}
