package io.caravan.vanflow.wire;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Properties;
import org.apache.qpid.proton.codec.DecoderImpl;
import org.apache.qpid.proton.codec.DescribedTypeConstructor;
import org.apache.qpid.proton.codec.EncoderImpl;
import org.apache.qpid.proton.codec.ReadableBuffer;
import org.apache.qpid.proton.message.Message;

/**
 * Reads a VAN-flow message from its encoded bytes, and writes FLUSH.
 *
 * <p>Why not proton-j's {@code Message.decode} (or Qpid JMS, which uses it): proton-j decodes the
 * application-properties section on a fast path that accepts only string keys, and the Skupper
 * router writes them as symbols; the message fails with "Expected String type but found encoding:
 * SYM8" (Qpid JMS drops it as "Error on transform"). This decoder registers a plain constructor for
 * every message section, so each section's value is decoded generically (maps with any key type,
 * lists, proton-j's unsigned types). Not thread-safe: one instance per thread.
 */
public final class MessageCodec {
    private static final long HEADER = 0x70;
    private static final long PROPERTIES = 0x73;
    private static final long APPLICATION_PROPERTIES = 0x74;
    private static final long DATA = 0x75;
    private static final long AMQP_SEQUENCE = 0x76;
    private static final long AMQP_VALUE = 0x77;
    private static final long FOOTER = 0x78;

    private final DecoderImpl decoder = new DecoderImpl();

    /** A section as read: its descriptor code and its described value. */
    private record Section(long code, Object value) {
    }

    public MessageCodec() {
        new EncoderImpl(decoder); // registers the primitive types with the decoder
        String[] names = {"header:list", "delivery-annotations:map", "message-annotations:map", "properties:list",
            "application-properties:map", "data:binary", "amqp-sequence:list", "amqp-value:*", "footer:map"};
        for (int i = 0; i < names.length; i++) {
            long code = HEADER + i;
            DescribedTypeConstructor<Section> c = new DescribedTypeConstructor<>() {
                @Override
                public Section newInstance(Object described) {
                    return new Section(code, described);
                }

                @Override
                public Class<Section> getTypeClass() {
                    return Section.class;
                }
            };
            decoder.register(UnsignedLong.valueOf(code), c);
            decoder.register(Symbol.valueOf("amqp:" + names[i]), c);
        }
    }

    /**
     * Decodes one message.
     *
     * @throws MalformedMessageException when the bytes are not an AMQP message
     */
    public VanFlowMessage decode(byte[] bytes) throws MalformedMessageException {
        ReadableBuffer buffer = ReadableBuffer.ByteBufferReader.wrap(ByteBuffer.wrap(bytes));
        decoder.setBuffer(buffer);
        String subject = null;
        String to = null;
        Map<String, Object> props = new HashMap<>();
        Object body = null;
        String bodyKind = "absent";
        try {
            while (buffer.hasRemaining()) {
                Object o = decoder.readObject();
                if (!(o instanceof Section s)) {
                    throw new MalformedMessageException("not a message section: " + RecordDecoder.describe(o));
                }
                if (s.code() == PROPERTIES && s.value() instanceof List<?> l) {
                    to = l.size() > 2 && l.get(2) != null ? l.get(2).toString() : null;
                    subject = l.size() > 3 && l.get(3) != null ? l.get(3).toString() : null;
                } else if (s.code() == APPLICATION_PROPERTIES && s.value() instanceof Map<?, ?> m) {
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        if (e.getKey() != null) {
                            props.put(e.getKey().toString(), e.getValue());
                        }
                    }
                } else if (s.code() == AMQP_VALUE) {
                    body = s.value();
                    bodyKind = "amqp-value";
                } else if (s.code() == DATA) {
                    bodyKind = "data";
                } else if (s.code() == AMQP_SEQUENCE) {
                    bodyKind = "amqp-sequence";
                }
            }
        } catch (RuntimeException e) {
            throw new MalformedMessageException("undecodable AMQP message: " + e.getMessage());
        } finally {
            decoder.setBuffer(null);
        }
        return new VanFlowMessage(subject, to, props, body, bodyKind);
    }

    /** The encoded FLUSH command to {@code direct}: subject FLUSH, empty body. */
    public static byte[] flush(String direct, long messageId) {
        Message m = Message.Factory.create();
        Properties p = new Properties();
        p.setMessageId(UnsignedLong.valueOf(messageId));
        p.setTo(direct);
        p.setSubject(VanFlowMessage.FLUSH);
        m.setProperties(p);
        m.setBody(new AmqpValue(null));
        byte[] out = new byte[256 + direct.length() * 4];
        int n = m.encode(out, 0, out.length);
        return java.util.Arrays.copyOf(out, n);
    }
}
