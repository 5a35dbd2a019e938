package io.caravan.api.stage;

/**
 * One step of a pipeline: takes a message body of type {@code I} and returns one of type {@code O}.
 *
 * <p>The body types, named by {@link StageProvider#inputType()} and {@link StageProvider#outputType()}:
 * <ul>
 *   <li>{@link io.caravan.api.flow.FlowBatch}: most stages (classify, filter, transform, ...).</li>
 *   <li>{@link io.caravan.api.flow.DatagramBatch}: decoders. Listeners hand on several datagrams per
 *       exchange; the runtime converts single datagrams and camel-netty bodies to a batch of one, so
 *       a decoder has exactly one input type. It returns one {@code FlowBatch} for the whole batch
 *       and drops (and counts) only the datagrams it cannot decode.</li>
 *   <li>{@code byte[]}: encoders return it, and decoders of files or messages take it.</li>
 * </ul>
 *
 * <p>Contract, Kafka Connect {@code Transformation}-style:
 * <ul>
 *   <li>{@link #apply} may change its input in place and return it (a {@code FlowBatch} is owned by
 *       the stage it was handed to). Returning {@code null}, or an empty {@code FlowBatch}, drops
 *       the message; the runtime counts the records dropped.</li>
 *   <li>One instance serves one endpoint of one route and may be called from several threads at
 *       once: keep per-call state on the stack, and shared state thread-safe.</li>
 *   <li>A {@link StageException} fails that one message (counted, routed to the route's error
 *       handler); it never stops the route.</li>
 *   <li>{@link #close} releases what the stage holds; it is called when its route is removed or its
 *       plugin unloads.</li>
 * </ul>
 * Stages never need a CamelContext, so they are tested by calling {@code apply} directly.
 */
public interface Stage<I, O> extends AutoCloseable {

    O apply(I input) throws StageException;

    /**
     * What the stage wants operators to see in the admin API ({@code GET /admin/stages/status}):
     * per-exporter accounting, templates known, ... Values must be JSON-friendly (maps, lists,
     * strings, numbers, booleans). Called from the admin thread: return a snapshot.
     */
    default java.util.Map<String, Object> status() {
        return java.util.Map.of();
    }

    /**
     * Why this stage is working below what it was built for, or empty when it is not: decoder
     * state at its memory bound, a sink backing off, ... Shown by {@code GET /health/ready} as
     * {@code degraded} with the reason (the server stays live: degraded is not down). Called from
     * the HTTP thread: cheap, no locks held by the data path.
     */
    default java.util.Optional<String> degraded() {
        return java.util.Optional.empty();
    }

    @Override
    default void close() {
    }
}
