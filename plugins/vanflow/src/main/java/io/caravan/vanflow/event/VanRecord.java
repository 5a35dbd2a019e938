package io.caravan.vanflow.event;

import java.util.Map;

/**
 * One decoded record of a RECORD body: its type code, its identity and every attribute the body
 * carried (deltas only), keyed by attribute code. Values are Java forms of the AMQP values:
 * String, Long (every integer width, unsigned widened), Boolean, Double, byte[]; unknown codes are
 * kept so the state can count and skip them.
 */
public record VanRecord(int type, String identity, Map<Integer, Object> attributes) {
}
