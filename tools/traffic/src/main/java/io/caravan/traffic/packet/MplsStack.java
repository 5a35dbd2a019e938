package io.caravan.traffic.packet;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** An MPLS label stack (RFC 3032): label (20 bits), traffic class (3), bottom of stack (1), TTL (8); top first. */
final class MplsStack {
    private final List<int[]> labels = new ArrayList<>(); // {label, tc, ttl}

    void push(int label, int trafficClass, int ttl) {
        labels.add(new int[] {label & 0xFFFFF, trafficClass & 7, ttl & 0xFF});
    }

    boolean isEmpty() {
        return labels.isEmpty();
    }

    int length() {
        return 4 * labels.size();
    }

    /** The last label gets the bottom-of-stack bit. */
    void write(ByteArrayOutputStream out) {
        for (int i = 0; i < labels.size(); i++) {
            int[] l = labels.get(i);
            boolean bottom = i == labels.size() - 1;
            Bytes.writeInt(out, ((long) l[0] << 12) | ((long) l[1] << 9) | (bottom ? 0x100 : 0) | l[2]);
        }
    }
}
