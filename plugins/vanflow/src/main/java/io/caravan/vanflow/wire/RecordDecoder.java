package io.caravan.vanflow.wire;

import io.caravan.vanflow.event.VanRecord;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedByte;
import org.apache.qpid.proton.amqp.UnsignedInteger;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.UnsignedShort;

/**
 * Decodes a RECORD body (the value of its {@code amqp-value} section, as proton-j decoded it): a list
 * of maps keyed by unsigned attribute codes. Values become the Java forms {@link VanRecord} names:
 * every integer width (signed or unsigned) a Long, strings and symbols a String, binaries byte[].
 *
 * <p>Where generations conflict, codes are read by record type: on a SITE record the Skupper 1.x
 * Go controller sent its version as a string in 52 (router 3.x: LINK_COUNT), which becomes
 * BUILD_VERSION (32) as Skupper 2.x sends it; its 53 (policy) is kept for the state's 1.x
 * {@code policy} field and 54 (target) is dropped. Unknown record types are skipped, unknown attribute codes kept; both
 * are counted. Stateless and thread-safe.
 */
public final class RecordDecoder {

    /**
     * @param body the amqp-value's value
     * @throws MalformedMessageException when the body is not a list
     */
    public DecodedRecords decode(Object body) throws MalformedMessageException {
        if (!(body instanceof List<?> list)) {
            throw new MalformedMessageException("RECORD body is " + describe(body) + ", not an AMQP list of maps");
        }
        List<VanRecord> out = new ArrayList<>(list.size());
        int unknownTypes = 0;
        int unknownCodes = 0;
        int malformed = 0;
        String firstProblem = null;
        for (int i = 0; i < list.size(); i++) {
            Object element = list.get(i);
            String problem = null;
            if (!(element instanceof Map<?, ?> map)) {
                problem = "entry " + i + " is " + describe(element) + ", not a map";
            } else {
                long type = unsigned(map.get(UnsignedInteger.valueOf(0)), map, 0);
                Object identity = lookup(map, 1);
                RecordType rt = RecordType.of(type);
                if (type < 0) {
                    problem = "entry " + i + " has no unsigned record type (key 0)";
                } else if (!(identity instanceof String) && !(identity instanceof Symbol)) {
                    problem = "entry " + i + " has no string identity (key 1)";
                } else if (rt == null) {
                    unknownTypes++;
                    continue;
                } else {
                    Map<Integer, Object> attributes = new HashMap<>(map.size() * 2);
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        long code = code(e.getKey());
                        if (code < 0) {
                            problem = "entry " + i + " has key " + describe(e.getKey()) + ", not an unsigned code";
                            break;
                        }
                        Object value = value(e.getValue());
                        if (value == null) {
                            continue;
                        }
                        if (Attribute.of(code) == null) {
                            unknownCodes++;
                        }
                        attributes.put((int) Math.min(code, Integer.MAX_VALUE), value);
                    }
                    if (problem == null) {
                        if (rt == RecordType.SITE) {
                            siteFrom1x(attributes);
                        }
                        out.add(new VanRecord(rt.code(), identity.toString(), attributes));
                        continue;
                    }
                }
            }
            malformed++;
            if (firstProblem == null) {
                firstProblem = problem;
            }
        }
        return new DecodedRecords(out, unknownTypes, unknownCodes, malformed, firstProblem);
    }

    /**
     * 1.x SITE: 52 = version (a string) becomes BUILD_VERSION; 53 = policy stays, as the collector
     * state serves it as the 1.x {@code policy} field; 54 = target is dropped. 3.x never sends these on a SITE.
     */
    private static void siteFrom1x(Map<Integer, Object> a) {
        Object version = a.get(Attribute.LINK_COUNT.code());
        if (version instanceof String) {
            a.remove(Attribute.LINK_COUNT.code());
            a.putIfAbsent(Attribute.BUILD_VERSION.code(), version);
        }
        if (a.get(Attribute.ROLE.code()) instanceof String) {
            a.remove(Attribute.ROLE.code());
        }
    }

    private static Object lookup(Map<?, ?> map, int code) {
        Object v = map.get(UnsignedInteger.valueOf(code));
        if (v != null) {
            return v;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (code(e.getKey()) == code) {
                return e.getValue();
            }
        }
        return null;
    }

    private static long unsigned(Object fast, Map<?, ?> map, int code) {
        Object v = fast != null ? fast : lookup(map, code);
        return code(v);
    }

    /** An attribute code of any integer width; -1 when it is not a non-negative integer. */
    static long code(Object key) {
        if (key instanceof UnsignedInteger u) {
            return u.longValue();
        } else if (key instanceof UnsignedLong u) {
            return u.longValue() < 0 ? -1 : u.longValue();
        } else if (key instanceof UnsignedShort u) {
            return u.longValue();
        } else if (key instanceof UnsignedByte u) {
            return u.longValue();
        } else if (key instanceof Integer || key instanceof Long || key instanceof Short || key instanceof Byte) {
            long v = ((Number) key).longValue();
            return v < 0 ? -1 : v;
        }
        return -1;
    }

    /** The Java form of an attribute value; null for an AMQP null (an absent attribute). */
    static Object value(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean) {
            return v;
        } else if (v instanceof UnsignedLong u) {
            return u.longValue();
        } else if (v instanceof UnsignedInteger || v instanceof UnsignedShort || v instanceof UnsignedByte) {
            return ((Number) v).longValue();
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        } else if (v instanceof Double || v instanceof Float) {
            return ((Number) v).doubleValue();
        } else if (v instanceof Symbol || v instanceof UUID || v instanceof Character) {
            return v.toString();
        } else if (v instanceof Binary b) {
            return b.getArray().length == b.getLength() && b.getArrayOffset() == 0 ? b.getArray()
                    : java.util.Arrays.copyOfRange(b.getArray(), b.getArrayOffset(), b.getArrayOffset() + b.getLength());
        } else if (v instanceof Date d) {
            return d.getTime();
        }
        return v.toString();
    }

    static String describe(Object o) {
        if (o == null) {
            return "null";
        }
        return o instanceof Binary ? "binary" : "a " + o.getClass().getSimpleName();
    }
}
