package io.caravan.vanflow.amqp;

import io.caravan.vanflow.wire.VanFlowMessage;
import io.netty.buffer.ByteBuf;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.apache.qpid.jms.JmsQueue;
import org.apache.qpid.jms.JmsTopic;
import org.apache.qpid.jms.message.JmsMessage;
import org.apache.qpid.jms.provider.amqp.message.AmqpJmsMessageFacade;

/**
 * One AMQP 1.0 connection to a router, through Qpid JMS's JMS API (the client camel-amqp is built
 * on), with receivers and FLUSH senders opened and closed at run time as event sources come and go.
 *
 * <p>Addresses go on the wire exactly as given: receivers use JMS topics and senders JMS queues
 * with no prefix (Qpid JMS adds {@code topic://} or {@code queue://} only when the connection sets
 * or the peer advertises a prefix, and neither happens here). The destination type only becomes the
 * link's {@code topic}/{@code queue} capability, which a router ignores and Artemis reads as
 * multicast/anycast.
 *
 * <p>Each received message is handed to the handler on Qpid JMS's session thread, as proton-j
 * sees it: Qpid JMS drops application properties with symbol keys (its JMS property view takes
 * strings only), so the message is re-encoded from its facade and decoded with proton-j.
 *
 * <p>Not thread-safe: the owner calls it from one thread.
 */
public final class AmqpClient implements AutoCloseable {
    private final AmqpSettings settings;
    private final Connection connection;
    private final Session receiving;
    private final Session sending;
    private final Map<String, MessageConsumer> receivers = new HashMap<>();
    private final Map<String, MessageProducer> senders = new HashMap<>();

    /**
     * Connects and starts delivery.
     *
     * @param lost called once (on a Qpid JMS thread) when the connection fails
     */
    public AmqpClient(AmqpSettings settings, Consumer<Exception> lost) throws JMSException {
        this.settings = settings;
        JmsConnectionFactory factory = new JmsConnectionFactory(settings.qpidUri());
        if (settings.sslContext() != null) {
            factory.setSslContext(settings.sslContext());
        }
        Connection c = factory.createConnection();
        try {
            c.setExceptionListener(lost::accept);
            receiving = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            sending = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            c.start();
        } catch (JMSException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        connection = c;
    }

    /**
     * Attaches a receiver to {@code address} (no-op when attached).
     *
     * @param handler called per message with the address and the decoded message, or the failure
     *                to read it (a body proton-j cannot decode)
     */
    public void receive(String address, BiConsumer<String, Object> handler) throws JMSException {
        if (receivers.containsKey(address)) {
            return;
        }
        MessageConsumer consumer = receiving.createConsumer(new JmsTopic(address));
        consumer.setMessageListener(m -> handler.accept(address, view(m)));
        receivers.put(address, consumer);
    }

    /** Detaches the receiver on {@code address}, if any. */
    public void stopReceiving(String address) {
        MessageConsumer c = receivers.remove(address);
        if (c != null) {
            try {
                c.close();
            } catch (JMSException e) {
                // The link is gone with the connection or the peer; nothing is left to release.
            }
        }
    }

    /** Sends FLUSH (subject FLUSH, empty body) through a sender whose target is {@code direct}. */
    public void flush(String direct) throws JMSException {
        MessageProducer p = senders.get(direct);
        if (p == null) {
            p = sending.createProducer(new JmsQueue(direct));
            p.setDeliveryMode(jakarta.jms.DeliveryMode.NON_PERSISTENT);
            senders.put(direct, p);
        }
        Message m = sending.createMessage();
        m.setJMSType(VanFlowMessage.FLUSH);
        p.send(m);
    }

    /** Closes the FLUSH sender to {@code direct}, if any. */
    public void stopSending(String direct) {
        MessageProducer p = senders.remove(direct);
        if (p != null) {
            try {
                p.close();
            } catch (JMSException e) {
                // As for receivers.
            }
        }
    }

    public int receiverCount() {
        return receivers.size();
    }

    @Override
    public void close() {
        receivers.clear();
        senders.clear();
        closeQuietly(connection);
    }

    public AmqpSettings settings() {
        return settings;
    }

    /** The message as proton-j decodes its encoding, or the exception when that fails. */
    static Object view(Message m) {
        try {
            AmqpJmsMessageFacade facade = (AmqpJmsMessageFacade) ((JmsMessage) m).getFacade();
            ByteBuf buf = facade.encodeMessage();
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            org.apache.qpid.proton.message.Message p = org.apache.qpid.proton.message.Message.Factory.create();
            p.decode(bytes, 0, bytes.length);
            return VanFlowMessage.of(p);
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (JMSException | RuntimeException e) {
            // Closing a failed connection can fail again; it is released either way.
        }
    }
}
