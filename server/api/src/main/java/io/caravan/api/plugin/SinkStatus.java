package io.caravan.api.plugin;

import java.util.List;
import java.util.Map;

/**
 * Implemented by a contributed Camel component whose endpoints hold data on its way out (queues in
 * front of slow sinks): the runtime lists its rows under {@code GET /admin/sinks}. Called from the
 * admin thread: return a snapshot, cheap, taking no lock the data path holds for long. Values must
 * be JSON-friendly (maps, lists, strings, numbers, booleans).
 */
public interface SinkStatus {

    /** One row per sink (queue) the component holds now, each naming itself (for example topic and subscriber). */
    List<Map<String, Object>> sinkStatus();
}
