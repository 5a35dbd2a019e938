package io.caravan.testkit.peers.vanflow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedInteger;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Section;
import org.apache.qpid.proton.message.Message;

/**
 * A VAN-flow event source speaking the router's side of the protocol (spec §1): BEACONs on
 * {@code mc/sfe.all} (a router's with <em>symbol</em> application-property keys, a controller's with
 * strings), HEARTBEATs, and pre-settled RECORD batches of at most 50 records carrying deltas only:
 * a record's first emission has every attribute, later ones keys 0, 1 and what changed. Records
 * changed while nobody listens on their address are discarded, not queued; a FLUSH on the direct
 * address makes the next emission complete. Router flavour: non-flow records and heartbeats on
 * {@code mc/sfe.<id>}, FLOW/BIFLOW on {@code .flows}, LOG on {@code .logs}; controller flavour:
 * records on {@code mc/sfe.<id>}, heartbeats on {@code .heartbeats}.
 *
 * <p>Like the router, nothing is sent unasked: tests call {@link #beacon()}, {@link #heartbeat()}
 * and {@link #emit()} (a FLUSH emits by itself). All work runs on one thread of the source's own.
 */
public final class EventSource implements AutoCloseable {
    /** The router's batch limit. */
    public static final int BATCH = 50;

    private final String id;
    private final boolean router;
    private final Fabric fabric;
    private final ExecutorService core;
    private final Map<String, Held> records = new LinkedHashMap<>();
    private final AtomicLong messageId = new AtomicLong();
    private final AtomicInteger flushes = new AtomicInteger();
    private final AtomicInteger discarded = new AtomicInteger();
    private final AtomicInteger recordMessages = new AtomicInteger();

    private static final class Held {
        final int type;
        final String identity;
        final Map<Integer, Object> attributes = new LinkedHashMap<>();
        final Set<Integer> changed = new LinkedHashSet<>();
        boolean ended;

        Held(int type, String identity) {
            this.type = type;
            this.identity = identity;
        }
    }

    private EventSource(String id, boolean router, Fabric fabric) {
        this.id = id;
        this.router = router;
        this.fabric = fabric;
        this.core = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "event-source-" + id);
            t.setDaemon(true);
            return t;
        });
        fabric.onDirect(direct(), m -> {
            if ("FLUSH".equals(m.getSubject())) {
                core.execute(this::flushed);
            }
        });
    }

    /** A router's event source; {@code id} as a router's, e.g. {@code x7f2q:0}. */
    public static EventSource router(String id, Fabric fabric) {
        return new EventSource(id, true, fabric);
    }

    /** A Go controller's event source; {@code id} is its site id. */
    public static EventSource controller(String siteId, Fabric fabric) {
        return new EventSource(siteId, false, fabric);
    }

    public String id() {
        return id;
    }

    public String address() {
        return "mc/sfe." + id;
    }

    public String direct() {
        return "sfe." + id;
    }

    /** Adds a record or changes one: attributes that differ from what it holds are marked for the next emission. */
    public EventSource put(VanRecords r) {
        return call(() -> {
            Held h = records.computeIfAbsent(r.identity(), i -> new Held(r.type(), i));
            for (Map.Entry<Integer, Object> e : r.attributes().entrySet()) {
                if (!e.getValue().equals(h.attributes.get(e.getKey()))) {
                    h.attributes.put(e.getKey(), e.getValue());
                    h.changed.add(e.getKey());
                }
            }
            if (h.attributes.get(4) instanceof Long end && end > 0) {
                h.ended = true;
            }
            return this;
        });
    }

    /** Sends a BEACON (a router only while someone listens on mc/sfe.all; a controller always). */
    public void beacon() {
        call(() -> {
            if (router && !fabric.listening("mc/sfe.all")) {
                return null;
            }
            Map<Object, Object> p = new LinkedHashMap<>();
            p.put(key("v"), UnsignedInteger.ONE);
            p.put(key("sourceType"), router ? "ROUTER" : "CONTROLLER");
            p.put(key("id"), id);
            p.put(key("address"), address());
            p.put(key("direct"), direct());
            send("mc/sfe.all", "BEACON", p, new AmqpValue(null));
            return null;
        });
    }

    /** Sends a HEARTBEAT (when someone listens on its address). */
    public void heartbeat() {
        call(() -> {
            String to = router ? address() : address() + ".heartbeats";
            if (!fabric.listening(to)) {
                return null;
            }
            Map<Object, Object> p = new LinkedHashMap<>();
            p.put(key("v"), UnsignedInteger.ONE);
            p.put(key("now"), UnsignedLong.valueOf(System.currentTimeMillis() * 1000));
            p.put(key("id"), id);
            send(to, "HEARTBEAT", p, new AmqpValue(null));
            return null;
        });
    }

    /**
     * Emits every changed record as the router's flush tick does: in batches of at most 50 per
     * address, deltas only; changes for an address nobody listens on are discarded. Ended records
     * are dropped once emitted.
     *
     * @return the RECORD messages sent
     */
    public int emit() {
        return call(this::emitNow);
    }

    /** Sends a message with any body to one of its addresses (for malformed-input tests). */
    public void sendRaw(String to, String subject, Section body) {
        call(() -> {
            send(to, subject, Map.of(), body);
            return null;
        });
    }

    /** FLUSH commands received so far. */
    public int flushes() {
        return flushes.get();
    }

    /** Records whose changes were discarded because nobody listened. */
    public int discarded() {
        return discarded.get();
    }

    /** RECORD messages sent so far. */
    public int recordMessages() {
        return recordMessages.get();
    }

    @Override
    public void close() {
        core.shutdownNow();
    }

    private void flushed() {
        flushes.incrementAndGet();
        for (Held h : records.values()) {
            h.changed.addAll(h.attributes.keySet());
        }
        emitNow();
    }

    private int emitNow() {
        Map<String, List<Map<UnsignedInteger, Object>>> byAddress = new LinkedHashMap<>();
        List<String> ended = new ArrayList<>();
        for (Held h : records.values()) {
            if (h.changed.isEmpty()) {
                continue;
            }
            String to = recordAddress(h.type);
            if (!fabric.listening(to)) {
                discarded.incrementAndGet();
                h.changed.clear();
                continue;
            }
            Map<UnsignedInteger, Object> m = new LinkedHashMap<>();
            m.put(UnsignedInteger.ZERO, UnsignedInteger.valueOf(h.type));
            m.put(UnsignedInteger.ONE, h.identity);
            for (Integer code : h.changed) {
                Object v = h.attributes.get(code);
                m.put(UnsignedInteger.valueOf(code), v instanceof Long l ? UnsignedLong.valueOf(l) : v);
            }
            h.changed.clear();
            byAddress.computeIfAbsent(to, a -> new ArrayList<>()).add(m);
            if (h.ended) {
                ended.add(h.identity);
            }
        }
        int sent = 0;
        for (Map.Entry<String, List<Map<UnsignedInteger, Object>>> e : byAddress.entrySet()) {
            List<Map<UnsignedInteger, Object>> all = e.getValue();
            for (int i = 0; i < all.size(); i += BATCH) {
                send(e.getKey(), "RECORD", Map.of(), new AmqpValue(new ArrayList<>(all.subList(i,
                        Math.min(all.size(), i + BATCH)))));
                sent++;
            }
        }
        records.keySet().removeAll(ended);
        recordMessages.addAndGet(sent);
        return sent;
    }

    private String recordAddress(int type) {
        if (!router) {
            return address();
        }
        if (type == VanRecords.FLOW || type == VanRecords.BIFLOW_TPORT || type == 17) {
            return address() + ".flows";
        }
        return type == VanRecords.LOG ? address() + ".logs" : address();
    }

    /** The router encodes application-property keys as symbols, the Go controller as strings. */
    private Object key(String name) {
        return router ? Symbol.valueOf(name) : name;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void send(String to, String subject, Map<?, ?> properties, Section body) {
        Message m = new SymbolKeyedMessage();
        m.setMessageId(messageId.incrementAndGet());
        m.setAddress(to);
        m.setSubject(subject);
        if (!properties.isEmpty()) {
            m.setApplicationProperties(new ApplicationProperties((Map) new HashMap<>(properties)));
        }
        m.setBody(body);
        fabric.publish(to, m);
    }

    private <T> T call(Callable<T> c) {
        try {
            return core.submit(c).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
