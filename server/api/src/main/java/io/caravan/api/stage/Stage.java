package io.caravan.api.stage;

/**
 * One step of a pipeline: takes a message body of type {@code I} and returns one of type {@code O}.
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

    @Override
    default void close() {
    }
}
