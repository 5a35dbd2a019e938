package io.caravan.skydive.topology;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the topology says one end of a flow is: a Kubernetes pod, a container that no pod owns, or
 * a host (the secadvisor record's {@code Context.A}/{@code Context.B}).
 *
 * @param type {@code pod}, {@code container} or {@code host}
 * @param name {@code namespace/pod} for a pod, else the container or host name
 * @param set  {@code Kind:namespace/owner} from the pod's first owner reference, or ""
 */
public record PeerContext(String type, String name, String set) {
    public static final String POD = "pod";
    public static final String CONTAINER = "container";
    public static final String HOST = "host";

    /** {@code {Type, Name, Set}}, empty fields omitted as the exporter does. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        putIfSet(o, "Type", type);
        putIfSet(o, "Name", name);
        putIfSet(o, "Set", set);
        return o;
    }

    /**
     * The legacy peer name of the secadvisor record ({@code A_Name}): {@code 0_0_<ns/pod>_0} for
     * a pod, with every character outside {@code [A-Za-z0-9.-]} replaced by '-'; "" otherwise.
     */
    public String legacyName() {
        if (!POD.equals(type) || name == null || name.isEmpty()) {
            return "";
        }
        return ("0_0_" + sanitize(name) + "_0");
    }

    static String sanitize(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '-';
            b.append(ok ? c : '-');
        }
        return b.toString();
    }

    private static void putIfSet(ObjectNode o, String key, String value) {
        if (value != null && !value.isEmpty()) {
            o.put(key, value);
        }
    }
}
