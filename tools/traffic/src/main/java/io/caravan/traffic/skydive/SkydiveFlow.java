package io.caravan.traffic.skydive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One realistic Skydive flow through its life, as the analyzer reports it again and again (spec
 * §1.2, §1.4): each {@link #update} gives the flow's next snapshot with the cumulative
 * {@code Metric} grown by the given delta and {@code LastUpdateMetric} holding just that delta;
 * {@link #end} gives the last one with a {@code FinishType}. The first snapshot is what the
 * secadvisor transform calls STARTED, the next ones UPDATED, the last ENDED. The UUID, TrackingID
 * and L3TrackingID are stable hashes of the flow's key, so two flows built alike are the same flow.
 * Not thread-safe.
 */
public final class SkydiveFlow {
    public static final int TIMEOUT = 1;
    public static final int TCP_FIN = 2;
    public static final int TCP_RST = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String transport;
    private final String a;
    private final int portA;
    private final String b;
    private final int portB;
    private String captureId = "7e1b2c3d-4e5f-4a6b-7c8d-9e0f1a2b3c4d";
    private String nodeTid = "b1c2d3e4-f5a6-5b7c-8d9e-0f1a2b3c4d5e";
    private String macA = "02:42:ac:11:00:05";
    private String macB = "02:42:ac:11:00:01";
    private long linkId;
    private long startMs = 1_700_000_000_000L;
    private long lastUpdateMs;
    private long lastMs;
    private long abPackets;
    private long abBytes;
    private long baPackets;
    private long baBytes;
    private long rttNs = 1_843_000;
    private int snapshots;

    private SkydiveFlow(String transport, String a, int portA, String b, int portB) {
        this.transport = transport;
        this.a = a;
        this.portA = portA;
        this.b = b;
        this.portB = portB;
    }

    public static SkydiveFlow tcp(String a, int portA, String b, int portB) {
        return new SkydiveFlow("TCP", a, portA, b, portB);
    }

    public static SkydiveFlow udp(String a, int portA, String b, int portB) {
        return new SkydiveFlow("UDP", a, portA, b, portB);
    }

    /** An ICMP echo flow (ICMPv4, or ICMPv6 for IPv6 addresses); no Transport. */
    public static SkydiveFlow icmp(String a, String b) {
        return new SkydiveFlow("ICMP", a, 0, b, 0);
    }

    public SkydiveFlow captureId(String v) {
        captureId = v;
        return this;
    }

    public SkydiveFlow nodeTid(String v) {
        nodeTid = v;
        return this;
    }

    public SkydiveFlow macs(String a, String b) {
        macA = a;
        macB = b;
        return this;
    }

    /** The outermost VLAN (Link.ID's low 12 bits). */
    public SkydiveFlow vlan(int id) {
        linkId = id & 0xFFF;
        return this;
    }

    /** Epoch ms of the first packet; the first update's Start. */
    public SkydiveFlow startMs(long v) {
        startMs = v;
        return this;
    }

    public String uuid() {
        return hash("uuid", nodeTid, key(), Long.toString(startMs));
    }

    public boolean ipv6() {
        return a.indexOf(':') >= 0;
    }

    public int snapshots() {
        return snapshots;
    }

    /** The next snapshot: the flow has carried these packets and bytes more, up to {@code nowMs}. */
    public ObjectNode update(long nowMs, long abPkts, long abBts, long baPkts, long baBts) {
        return snapshot(nowMs, abPkts, abBts, baPkts, baBts, 0);
    }

    /** The last snapshot, with a FinishType of {@link #TIMEOUT}, {@link #TCP_FIN} or {@link #TCP_RST}. */
    public ObjectNode end(long nowMs, int finishType) {
        return snapshot(nowMs, 0, 0, 0, 0, finishType);
    }

    private ObjectNode snapshot(long nowMs, long abP, long abB, long baP, long baB, int finishType) {
        long updateStart = snapshots == 0 ? startMs : lastUpdateMs;
        abPackets += abP;
        abBytes += abB;
        baPackets += baP;
        baBytes += baB;
        if (abP + baP > 0 || snapshots == 0) {
            lastMs = Math.max(nowMs, startMs);
        }
        lastUpdateMs = nowMs;
        snapshots++;
        boolean icmp = "ICMP".equals(transport);
        String icmpLayer = ipv6() ? "ICMPv6" : "ICMPv4";
        ObjectNode f = JSON.createObjectNode();
        f.put("UUID", uuid());
        f.put("LayersPath", "Ethernet/" + (linkId != 0 ? "Dot1Q/" : "") + (ipv6() ? "IPv6" : "IPv4") + "/"
                + (icmp ? icmpLayer : transport));
        f.put("Application", icmp ? icmpLayer : transport);
        ObjectNode link = f.putObject("Link");
        link.put("Protocol", "ETHERNET").put("A", macA).put("B", macB).put("ID", linkId);
        ObjectNode net = f.putObject("Network");
        net.put("Protocol", ipv6() ? "IPV6" : "IPV4").put("A", a).put("B", b).put("ID", 0);
        if (icmp) {
            f.putObject("ICMP").put("Type", "ECHO").put("ID", 4660);
        } else {
            f.putObject("Transport").put("Protocol", transport).put("A", portA).put("B", portB).put("ID", 0);
        }
        metric(f.putObject("LastUpdateMetric"), abP, abB, baP, baB, updateStart, nowMs, 0);
        metric(f.putObject("Metric"), abPackets, abBytes, baPackets, baBytes, startMs, lastMs, rttNs);
        f.put("Start", startMs);
        f.put("Last", lastMs);
        f.put("TrackingID", hash("tracking", key()));
        f.put("L3TrackingID", hash("l3", a, b, Integer.toString(portA), Integer.toString(portB)));
        f.put("ParentUUID", "");
        f.put("NodeTID", nodeTid);
        f.put("CaptureID", captureId);
        f.put("RawPacketsCaptured", 0);
        if (finishType != 0) {
            f.put("FinishType", finishType);
        }
        return f;
    }

    private static void metric(ObjectNode m, long abP, long abB, long baP, long baB, long start, long last,
                               long rtt) {
        m.put("ABPackets", abP).put("ABBytes", abB).put("BAPackets", baP).put("BABytes", baB).put("Start", start)
                .put("Last", last);
        if (rtt != 0) {
            m.put("RTT", rtt);
        }
    }

    private String key() {
        return macA + macB + linkId + transport + a + portA + b + portB;
    }

    /** 16 lower-case hex chars, like Skydive's xxHash64 ids. */
    private static String hash(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                md.update(p.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
