package io.caravan.testkit.peers.vanflow;

import java.util.function.Consumer;
import org.apache.qpid.proton.message.Message;

/**
 * How an {@link EventSource} reaches collectors: the router it runs in ({@link RouterListener},
 * collectors connect straight to it) or a broker it is a client of ({@link BrokerFabric}).
 * Methods block until done and may be called from any thread but the fabric's own.
 */
public interface Fabric {

    /** Sends a pre-settled message to {@code address} (its {@code to} is already set). */
    void publish(String address, Message message);

    /**
     * Whether a collector listens on {@code address} now. A router knows; through a broker the
     * source cannot tell (the broker discards multicast messages nobody subscribed to), so true.
     */
    boolean listening(String address);

    /** Delivers the messages sent to {@code direct} (anycast: FLUSH) to the handler, on the fabric's thread. */
    void onDirect(String direct, Consumer<Message> handler);
}
