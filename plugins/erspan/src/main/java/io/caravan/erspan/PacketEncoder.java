package io.caravan.erspan;

import io.caravan.erspan.ErspanConfiguration.Direction;
import io.caravan.erspan.wire.ErspanTypeII;
import io.caravan.erspan.wire.ErspanTypeIII;
import io.caravan.erspan.wire.GreHeader;

/**
 * Builds the IP payload of one mirrored frame: GRE (with sequence number), the ERSPAN type II or
 * III header from the endpoint's options, then the frame, cut at {@code truncate}. No CRC is
 * appended (Skydive's target adds a CRC32 of the frame; ERSPAN carries none, and analyzers would
 * read it as frame bytes). Pure and thread-safe.
 */
final class PacketEncoder {
    private final ErspanConfiguration c;
    private final int headerSize;

    PacketEncoder(ErspanConfiguration configuration) {
        this.c = configuration;
        this.headerSize = GreHeader.SIZE + (c.version() == 2 ? ErspanTypeII.SIZE : ErspanTypeIII.size(c.timestamp()));
    }

    /**
     * The packet for {@code f}, numbered {@code sequence}.
     *
     * @param nowNs the time used for a type III timestamp when the record has no receive time
     */
    byte[] encode(Frames.Frame f, int sequence, long nowNs) {
        int frameLength = c.truncate() > 0 ? Math.min(f.length(), c.truncate()) : f.length();
        int prefix = f.etherType() == 0 ? 0 : Frames.ETHERNET_HEADER;
        boolean truncated = frameLength < f.length() || f.bytes().length < f.originalLength();
        byte[] b = new byte[headerSize + frameLength];
        long index = switch (c.indexFrom()) {
            case IN_IF -> f.record().inIf();
            case OUT_IF -> f.record().outIf();
            case FIXED -> c.index();
        };
        if (c.version() == 2) {
            GreHeader.write(b, 0, GreHeader.PROTOCOL_ERSPAN_II, sequence);
            ErspanTypeII.write(b, GreHeader.SIZE, c.vlan(), c.cos(),
                    f.tagged() ? ErspanTypeII.EN_TAG_PRESERVED : ErspanTypeII.EN_UNTAGGED, truncated, c.sessionId(),
                    index);
        } else {
            long timeNs = f.record().timeReceivedNs() > 0 ? f.record().timeReceivedNs() : nowNs;
            boolean egress = c.direction() == Direction.EGRESS
                    || c.direction() == Direction.RECORD && f.record().flowDirection() == 1;
            GreHeader.write(b, 0, GreHeader.PROTOCOL_ERSPAN_III, sequence);
            ErspanTypeIII.write(b, GreHeader.SIZE, c.vlan(), c.cos(), truncated, c.sessionId(), c.timestamp(), timeNs,
                    c.sgt(), c.hwId(), egress, index);
        }
        int at = headerSize;
        if (prefix > 0) {
            byte[] eth = new byte[Frames.ETHERNET_HEADER];
            Frames.writeEthernetHeader(eth, 0, f.record(), f.etherType());
            int n = Math.min(prefix, frameLength);
            System.arraycopy(eth, 0, b, at, n);
            at += n;
        }
        System.arraycopy(f.bytes(), 0, b, at, frameLength - (at - headerSize));
        return b;
    }
}
