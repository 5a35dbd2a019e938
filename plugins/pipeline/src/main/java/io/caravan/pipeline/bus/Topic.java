package io.caravan.pipeline.bus;

import io.caravan.api.flow.FlowBatch;
import java.util.Arrays;

/**
 * The subscribers of one topic. Publishing reads one volatile array: with no subscriber it costs a
 * read and a length check, which is what the default collectors pay on every batch when no
 * delivery route is running.
 */
final class Topic {
    private static final Subscription[] NONE = new Subscription[0];

    private final String name;
    private volatile Subscription[] subscribers = NONE;

    Topic(String name) {
        this.name = name;
    }

    /** Hands the batch to every current subscriber (each queues its own copy). */
    void publish(FlowBatch batch) {
        Subscription[] s = subscribers;
        for (Subscription sub : s) {
            sub.offer(batch);
        }
    }

    boolean hasSubscribers() {
        return subscribers.length > 0;
    }

    /** @throws IllegalStateException when the topic already has a subscriber of that name */
    synchronized void subscribe(Subscription s) {
        for (Subscription existing : subscribers) {
            if (existing.name().equals(s.name())) {
                throw new IllegalStateException(BusConstants.SCHEME + ":" + name + " already has a subscriber named '"
                        + s.name() + "'; each route consuming a topic needs a subscriber name of its own");
            }
        }
        Subscription[] next = Arrays.copyOf(subscribers, subscribers.length + 1);
        next[next.length - 1] = s;
        subscribers = next;
    }

    synchronized void unsubscribe(Subscription s) {
        subscribers = Arrays.stream(subscribers).filter(x -> x != s).toArray(Subscription[]::new);
    }
}
