package io.caravan.sflow.header;

import io.caravan.api.flow.FlowRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks a sampled packet header layer by layer (sFlow v5 raw packet header; spec "flow from a
 * raw header"): Ethernet → 802.1Q/802.1ad tags → MPLS stack → IPv4 (options) or IPv6 (extension
 * headers) → TCP, UDP, ICMP or ICMPv6, filling the flow record's fields. Stops quietly where the
 * captured bytes end: what was read stays (a header cut inside TCP keeps its L3 fields). Only
 * first fragments get transport fields. At most {@value #MAX_LAYERS} layers, so no input can make
 * it loop. Thread-safe.
 *
 * <p>Besides the record's fields it sets two attributes when present: {@value #ATTR_INNER_VLAN}
 * (the second VLAN tag of a QinQ frame) and {@value #ATTR_MPLS_LABELS} (the labels, top first, as
 * a list of Long).
 */
public final class HeaderParser {
    public static final int MAX_LAYERS = 16;
    public static final String ATTR_INNER_VLAN = "inner_vlan_id";
    public static final String ATTR_MPLS_LABELS = "mpls_labels";

    private final LayerRegistry registry;

    public HeaderParser() {
        this(new LayerRegistry());
    }

    public HeaderParser(LayerRegistry registry) {
        this.registry = registry;
    }

    /**
     * Parses {@code b[at, at + length)} as a header of sFlow {@code headerProtocol} into {@code record}.
     *
     * @return the layers parsed in full or in part (0 when the protocol has no parser)
     */
    public int parse(long headerProtocol, byte[] b, int at, int length, FlowRecord record) {
        LayerParser first = registry.forHeaderProtocol(headerProtocol);
        if (first == null) {
            return 0;
        }
        HeaderState state = new HeaderState(record, registry);
        int end = at + length;
        // The first two layers are parsed from call sites of their own, which see one or two parser
        // classes each (Ethernet, then IPv4 or IPv6 mostly) and so get them inlined; a single call
        // site for every layer sees them all and dispatches through the interface. Same walk.
        int size = first.parse(b, at, end, state);
        int layers = 1;
        LayerParser second = state.next;
        if (size >= 0 && second != null) {
            state.next = null;
            int pos = at + size;
            size = second.parse(b, pos, end, state);
            layers++;
            if (size >= 0) {
                layers = walk(state.next, b, pos + size, end, state, layers);
            }
        }
        if (state.vlanTags > 1) {
            record.attribute(ATTR_INNER_VLAN, state.innerVlan);
        }
        if (state.mplsCount() > 0) {
            long[] labels = state.mplsLabels();
            List<Long> list = new ArrayList<>(labels.length);
            for (long l : labels) {
                list.add(l);
            }
            record.attribute(ATTR_MPLS_LABELS, List.copyOf(list));
        }
        return layers;
    }

    /** Parses from {@code p} on, up to {@value #MAX_LAYERS} layers in all; the layers counted so far. */
    private static int walk(LayerParser p, byte[] b, int pos, int end, HeaderState state, int layers) {
        int at = pos;
        int n = layers;
        while (p != null && n < MAX_LAYERS) {
            state.next = null;
            int size = p.parse(b, at, end, state);
            n++;
            if (size < 0) {
                break;
            }
            at += size;
            p = state.next;
        }
        return n;
    }
}
