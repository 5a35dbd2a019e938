package io.caravan.udp;

import io.caravan.api.flow.Datagram;
import java.util.List;

/**
 * Where a reader puts each batch it read: straight into the route on the reader's own thread
 * ({@link RouteRunner}), or into the bounded queue the workers take from ({@link WorkerQueue}).
 */
interface Handoff {

    /**
     * Takes the batch; never throws. The batch is handed on as it is (not copied): the reader
     * must not touch it afterwards.
     */
    void accept(List<Datagram> batch);
}
