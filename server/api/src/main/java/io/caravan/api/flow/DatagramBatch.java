package io.caravan.api.flow;

import java.util.List;
import java.util.Objects;

/**
 * The datagrams a listener read together (the {@code udp} component hands on everything waiting in
 * its socket, up to its {@code batchSize}): the input of decoder stages. A single datagram is a
 * batch of one; the runtime converts a {@link Datagram}, a {@code List<Datagram>} and camel-netty's
 * {@code byte[]} body (sender from its remote-address header) to this type.
 *
 * <p>A decoder stage takes the whole batch and returns one {@link FlowBatch} (origins merged with
 * {@link Origin#merge}). It handles each datagram on its own: a datagram it cannot decode is
 * counted by reason and left out, and the rest of the batch goes on; it throws only for a failure
 * that spoils the whole batch. The runtime counts the batch's datagrams as the stage's input.
 *
 * @param datagrams in the order they were read, never containing null; the batch owns the list
 *                  (not copied, on the hot path), so the producer must not change it afterwards
 */
public record DatagramBatch(List<Datagram> datagrams) {

    public DatagramBatch {
        Objects.requireNonNull(datagrams, "datagrams");
    }

    public static DatagramBatch of(Datagram datagram) {
        return new DatagramBatch(List.of(datagram));
    }

    public int size() {
        return datagrams.size();
    }

    public boolean isEmpty() {
        return datagrams.isEmpty();
    }
}
