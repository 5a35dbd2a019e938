package io.caravan.pipeline.records;

import java.util.ArrayList;
import org.apache.camel.Message;

/**
 * What {@code encode-records} returns: the messages, and how many bytes their bodies hold, so a
 * route can report what it delivered ({@code ${body.encodedBytes}}, for instance into the bus
 * subscriber's bytes-out header) after a producer has sent the list.
 */
public final class EncodedRecords extends ArrayList<Message> {
    private static final long serialVersionUID = 1L;

    private long encodedBytes;

    EncodedRecords(int capacity) {
        super(capacity);
    }

    /** Adds a message whose body holds {@code bytes} bytes. */
    void add(Message m, int bytes) {
        add(m);
        encodedBytes += bytes;
    }

    /** The bytes of all message bodies together. */
    public long getEncodedBytes() {
        return encodedBytes;
    }
}
