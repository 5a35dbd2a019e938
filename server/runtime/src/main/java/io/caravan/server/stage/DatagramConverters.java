package io.caravan.server.stage;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.TypeConverter;
import org.apache.camel.spi.TypeConverterRegistry;
import org.apache.camel.support.TypeConverterSupport;

/**
 * Camel type converters to {@link DatagramBatch}, the one input type of decoder stages, from what
 * listeners hand on: a {@link Datagram}, a {@code List<Datagram>} (the datagrams one read took),
 * and camel-netty's {@code byte[]} body (with {@code udpByteArrayCodec}; the sender from its
 * {@value #NETTY_REMOTE_ADDRESS} header, the receive time from the exchange's creation). The
 * stage component just asks Camel for the stage's input type; no stage or route sees the difference.
 */
public final class DatagramConverters {
    /** camel-netty's header with the sender of a datagram. */
    public static final String NETTY_REMOTE_ADDRESS = "CamelNettyRemoteAddress";

    private DatagramConverters() {
    }

    /** Adds the converters to a CamelContext's registry (before routes use them). */
    public static void register(TypeConverterRegistry registry) {
        registry.addTypeConverter(DatagramBatch.class, Datagram.class, converter(DatagramConverters::fromDatagram));
        registry.addTypeConverter(DatagramBatch.class, List.class, converter(DatagramConverters::fromList));
        registry.addTypeConverter(DatagramBatch.class, byte[].class, converter(DatagramConverters::fromBytes));
    }

    private interface Conversion {
        DatagramBatch convert(Exchange exchange, Object value);
    }

    private static TypeConverter converter(Conversion conversion) {
        return new TypeConverterSupport() {
            @Override
            public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
                return type == DatagramBatch.class ? type.cast(conversion.convert(exchange, value)) : null;
            }
        };
    }

    private static DatagramBatch fromDatagram(Exchange exchange, Object value) {
        return value instanceof Datagram d ? DatagramBatch.of(d) : null;
    }

    /** A list of datagrams, in order; a list holding anything else does not convert. */
    private static DatagramBatch fromList(Exchange exchange, Object value) {
        if (!(value instanceof List<?> list)) {
            return null;
        }
        List<Datagram> datagrams = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof Datagram d)) {
                return null;
            }
            datagrams.add(d);
        }
        return new DatagramBatch(datagrams);
    }

    /** One UDP payload as camel-netty delivers it; without an exchange there is no sender or time to give it. */
    private static DatagramBatch fromBytes(Exchange exchange, Object value) {
        if (!(value instanceof byte[] payload) || exchange == null) {
            return null;
        }
        Object sender = exchange.getIn().getHeader(NETTY_REMOTE_ADDRESS);
        return DatagramBatch.of(new Datagram(payload, sender instanceof InetSocketAddress a ? a : null,
                exchange.getClock().getCreated()));
    }
}
