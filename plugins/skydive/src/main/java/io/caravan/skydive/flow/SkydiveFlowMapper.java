package io.caravan.skydive.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.net.AddressText;

/**
 * Turns one Skydive flow into a {@link FlowRecord} of type {@link FlowType#SKYDIVE} that keeps the
 * flow whole in {@link FlowRecord#source()}.
 *
 * <p>Bytes and packets are AB+BA of the cumulative {@code Metric} (what the flow has carried since
 * its first packet, as the exporter's awsflowlogs and NetFlow v5 target report it); the split is
 * kept in the attributes {@value #AB_BYTES}, {@value #BA_BYTES}, {@value #AB_PACKETS},
 * {@value #BA_PACKETS}, and the per-update delta stays in the source's {@code LastUpdateMetric}.
 * The direction is not known at the source (classify stages tag it), so {@code flowDirection}
 * stays 0.
 *
 * <p>A flow without {@code UUID}, {@code Start} or {@code Last}, or whose addresses or MACs do not
 * parse, is refused with a {@link MalformedFlowException}.
 */
public final class SkydiveFlowMapper {
    public static final String AB_BYTES = "abBytes";
    public static final String BA_BYTES = "baBytes";
    public static final String AB_PACKETS = "abPackets";
    public static final String BA_PACKETS = "baPackets";

    private static final int ETYPE_IPV4 = 0x0800;
    private static final int ETYPE_IPV6 = 0x86DD;
    private static final long MS_NS = 1_000_000L;

    private SkydiveFlowMapper() {
    }

    /**
     * @param flow           one element of the envelope's {@code Obj} array
     * @param receivedNs     epoch ns the message arrived
     * @param analyzer       the analyzer's address (4 or 16 bytes) for {@code samplerAddress}, or null
     * @throws MalformedFlowException saying what is missing or wrong
     */
    public static FlowRecord toRecord(JsonNode flow, long receivedNs, byte[] analyzer) throws MalformedFlowException {
        if (!(flow instanceof ObjectNode o)) {
            throw new MalformedFlowException("a flow is not a JSON object");
        }
        JsonNode uuid = o.get("UUID");
        if (uuid == null || !uuid.isTextual() || uuid.asText().isEmpty()) {
            throw new MalformedFlowException("a flow has no UUID");
        }
        long start = requireMs(o, "Start", uuid);
        long last = requireMs(o, "Last", uuid);
        FlowRecord r = new FlowRecord().type(FlowType.SKYDIVE).timeReceivedNs(receivedNs).samplerAddress(analyzer)
                .timeFlowStartNs(start * MS_NS).timeFlowEndNs(last * MS_NS).source(o);
        JsonNode network = SkydiveFlows.network(o);
        if (network.isObject()) {
            r.srcAddr(address(network, "A", uuid)).dstAddr(address(network, "B", uuid));
            String p = SkydiveFlows.text(network, "Protocol");
            r.etype("IPV6".equals(p) ? ETYPE_IPV6 : "IPV4".equals(p) ? ETYPE_IPV4
                    : r.srcAddr() == null ? 0 : r.srcAddr().length == 16 ? ETYPE_IPV6 : ETYPE_IPV4);
        }
        JsonNode link = SkydiveFlows.link(o);
        if (link.isObject()) {
            r.srcMac(mac(link, "A", uuid)).dstMac(mac(link, "B", uuid));
            int vlan = SkydiveFlows.vlan(o);
            r.vlanId(vlan).srcVlan(vlan).dstVlan(vlan);
        }
        r.proto(SkydiveFlows.ianaProtocol(o)).srcPort(port(o, "A", uuid)).dstPort(port(o, "B", uuid));
        JsonNode icmp = SkydiveFlows.icmp(o);
        if (icmp.isObject()) {
            r.icmpCode((int) SkydiveFlows.number(icmp, "Code") & 0xFF);
        }
        JsonNode m = SkydiveFlows.metric(o);
        long abB = SkydiveFlows.abBytes(m);
        long baB = SkydiveFlows.baBytes(m);
        long abP = SkydiveFlows.abPackets(m);
        long baP = SkydiveFlows.baPackets(m);
        r.bytes(abB + baB).packets(abP + baP);
        r.attribute(AB_BYTES, abB).attribute(BA_BYTES, baB).attribute(AB_PACKETS, abP).attribute(BA_PACKETS, baP);
        return r;
    }

    private static long requireMs(ObjectNode o, String key, JsonNode uuid) throws MalformedFlowException {
        JsonNode v = o.get(key);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new MalformedFlowException("flow " + uuid.asText() + " has no numeric " + key);
        }
        return v.asLong();
    }

    private static byte[] address(JsonNode network, String key, JsonNode uuid) throws MalformedFlowException {
        String t = SkydiveFlows.text(network, key);
        if (t.isEmpty()) {
            return null;
        }
        try {
            return AddressText.parse(t);
        } catch (IllegalArgumentException e) {
            throw new MalformedFlowException("flow " + uuid.asText() + ": Network." + key + " " + e.getMessage());
        }
    }

    private static long mac(JsonNode link, String key, JsonNode uuid) throws MalformedFlowException {
        String t = SkydiveFlows.text(link, key);
        if (t.isEmpty()) {
            return 0;
        }
        try {
            return AddressText.parseMac(t);
        } catch (IllegalArgumentException e) {
            throw new MalformedFlowException("flow " + uuid.asText() + ": Link." + key + " " + e.getMessage());
        }
    }

    private static int port(JsonNode flow, String key, JsonNode uuid) throws MalformedFlowException {
        long p = SkydiveFlows.number(SkydiveFlows.transport(flow), key);
        if (p < 0 || p > 65_535) {
            throw new MalformedFlowException("flow " + uuid.asText() + ": Transport." + key + " " + p
                    + " is not a port");
        }
        return (int) p;
    }
}
