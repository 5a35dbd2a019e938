package io.caravan.testkit.peers.vanflow;

import java.util.Map;
import org.apache.qpid.proton.amqp.DescribedType;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Section;
import org.apache.qpid.proton.codec.AMQPDefinedTypes;
import org.apache.qpid.proton.codec.DecoderImpl;
import org.apache.qpid.proton.codec.EncoderImpl;
import org.apache.qpid.proton.codec.WritableBuffer;
import org.apache.qpid.proton.message.impl.MessageImpl;

/**
 * A proton-j message whose application-properties section is written with whatever key types its
 * map holds. The Skupper router writes the keys as AMQP symbols; proton-j's own encoder insists on
 * strings (a ClassCastException otherwise), so this class writes that section itself (descriptor
 * 0x74 and a generic map) between the sections proton-j writes before it and the body.
 */
final class SymbolKeyedMessage extends MessageImpl {
    private static final UnsignedLong APPLICATION_PROPERTIES = UnsignedLong.valueOf(0x74);

    @Override
    public int encode(WritableBuffer buffer) {
        ApplicationProperties properties = getApplicationProperties();
        Section body = getBody();
        int start = buffer.position();
        setApplicationProperties(null);
        setBody(null);
        try {
            super.encode(buffer);
        } finally {
            setApplicationProperties(properties);
            setBody(body);
        }
        EncoderImpl encoder = new EncoderImpl(new DecoderImpl());
        AMQPDefinedTypes.registerAllTypes(encoder.getDecoder(), encoder);
        encoder.setByteBuffer(buffer);
        if (properties != null) {
            Map<?, ?> map = properties.getValue();
            encoder.writeDescribedType(new DescribedType() {
                @Override
                public Object getDescriptor() {
                    return APPLICATION_PROPERTIES;
                }

                @Override
                public Object getDescribed() {
                    return map;
                }
            });
        }
        if (body != null) {
            encoder.writeObject(body);
        }
        return buffer.position() - start;
    }
}
