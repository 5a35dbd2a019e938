package io.caravan.sflow.header;

/**
 * Parses one protocol layer of a sampled packet header into the flow record of a
 * {@link HeaderState}, goflow2-style (producer_packet.go): each layer reports how many bytes it
 * took and which parser comes next, found through the {@link LayerRegistry} by ethertype or IP
 * protocol. Implementations are stateless and thread-safe; they read with absolute gets inside
 * {@code [at, end)} only and never allocate except for addresses.
 */
public interface LayerParser {

    /**
     * Parses the layer starting at {@code at}.
     *
     * @param end the end of the captured header bytes (exclusive)
     * @return the bytes this layer takes (the next starts after them), or -1 when the header ends
     *         inside this layer; either way {@link HeaderState#next} names the next parser or is null
     */
    int parse(byte[] b, int at, int end, HeaderState state);

    /** The layer's name, for diagnostics. */
    String name();
}
