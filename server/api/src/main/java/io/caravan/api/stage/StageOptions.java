package io.caravan.api.stage;

import io.caravan.api.net.Cidr;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A stage's options bound against its {@link OptionSpec}s: every value present, defaults filled
 * in, every type checked. Built by {@link #bind}; stages read typed values from it.
 */
public final class StageOptions {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kib|mib|gib|tib|kb|mb|gb|tb|k|m|g)?");

    private final Map<String, Object> values;

    private StageOptions(Map<String, Object> values) {
        this.values = values;
    }

    /**
     * Binds raw route values (Strings, or what YAML produced) to the specs.
     *
     * @throws OptionException naming the stage, the option and the valid names, types or choices
     */
    public static StageOptions bind(String stage, List<OptionSpec> specs, Map<String, ?> raw) throws OptionException {
        return bindAs("stage '" + stage + "'", specs, raw);
    }

    /**
     * Binds a component's endpoint parameters (the URI's query options) to its
     * {@code ComponentProvider.options()}, as {@link #bind} does a stage's: errors read
     * {@code component 'udp': option 'batchSize' must be 1 to 4096; got '0'}.
     *
     * @throws OptionException naming the component, the option and the valid names, types or choices
     */
    public static StageOptions bindComponent(String scheme, List<OptionSpec> specs, Map<String, ?> raw)
            throws OptionException {
        return bindAs("component '" + scheme + "'", specs, raw);
    }

    /** Binds for {@code owner}, which starts every error message: {@code stage 'x'} or {@code component 'x'}. */
    private static StageOptions bindAs(String owner, List<OptionSpec> specs, Map<String, ?> raw) throws OptionException {
        Map<String, OptionSpec> byName = new LinkedHashMap<>();
        specs.forEach(s -> byName.put(s.name(), s));
        for (String given : raw.keySet()) {
            if (!byName.containsKey(given)) {
                throw new OptionException(owner + ": unknown option '" + given + "'; valid options: "
                        + (byName.isEmpty() ? "(none)" : String.join(", ", byName.keySet())));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (OptionSpec spec : specs) {
            Object given = raw.get(spec.name());
            String text = given == null ? spec.defaultValue() : String.valueOf(given);
            if (text == null) {
                if (spec.required()) {
                    throw new OptionException(owner + ": option '" + spec.name() + "' is required ("
                            + spec.type().description() + "): " + spec.doc());
                }
                continue;
            }
            Object value = convert(owner, spec, text);
            checkBounds(owner, spec, value);
            values.put(spec.name(), value);
        }
        return new StageOptions(values);
    }

    /**
     * Checks that every spec's default and bounds parse as its type and that the default lies
     * within the bounds: a plugin's own mistake, caught when it loads.
     *
     * @throws IllegalArgumentException naming the option
     */
    public static void checkSpecs(String owner, List<OptionSpec> specs) {
        Map<String, OptionSpec> seen = new LinkedHashMap<>();
        for (OptionSpec spec : specs) {
            if (seen.put(spec.name(), spec) != null) {
                throw new IllegalArgumentException(owner + ": option '" + spec.name() + "' is declared twice");
            }
            try {
                if (spec.min() != null) {
                    convert(owner, spec, spec.min());
                }
                if (spec.max() != null) {
                    convert(owner, spec, spec.max());
                }
                if (spec.defaultValue() != null) {
                    checkBounds(owner, spec, convert(owner, spec, spec.defaultValue()));
                }
            } catch (OptionException e) {
                throw new IllegalArgumentException("declared option spec is invalid: " + e.getMessage(), e);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void checkBounds(String owner, OptionSpec spec, Object value) throws OptionException {
        if (!spec.type().bounded() || (spec.min() == null && spec.max() == null)) {
            return;
        }
        Comparable v = (Comparable) value;
        boolean below = spec.min() != null && v.compareTo(convert(owner, spec, spec.min())) < 0;
        boolean above = spec.max() != null && v.compareTo(convert(owner, spec, spec.max())) > 0;
        if (below || above) {
            throw new OptionException(owner + ": option '" + spec.name() + "' must be "
                    + spec.allowed() + "; got '" + render(value) + "'");
        }
    }

    private static String render(Object value) {
        return value instanceof Duration d ? d.toMillis() + "ms" : String.valueOf(value);
    }

    /** Binds an empty map: every default. */
    public static StageOptions defaults(String stage, List<OptionSpec> specs) throws OptionException {
        return bind(stage, specs, Map.of());
    }

    private static Object convert(String owner, OptionSpec spec, String text) throws OptionException {
        String t = text.trim();
        try {
            return switch (spec.type()) {
                case STRING -> text;
                case INT -> Integer.parseInt(t);
                case LONG -> Long.parseLong(t);
                case DOUBLE -> Double.parseDouble(t);
                case BOOLEAN -> parseBoolean(t);
                case DURATION -> parseDuration(t);
                case SIZE -> parseSize(t);
                case HOST_PORT -> parseHostPort(t);
                case HOST_PORT_LIST -> {
                    List<InetSocketAddress> targets = new ArrayList<>();
                    for (String part : splitList(t)) {
                        targets.add(parseHostPort(part));
                    }
                    yield Collections.unmodifiableList(targets);
                }
                case CHOICE -> {
                    if (!spec.choices().contains(t)) {
                        throw new OptionException(owner + ": option '" + spec.name() + "' must be one of "
                                + String.join(", ", spec.choices()) + "; got '" + text + "'");
                    }
                    yield t;
                }
                case LIST -> splitList(t);
                case CIDR_LIST -> {
                    List<Cidr> cidrs = new ArrayList<>();
                    for (String part : splitList(t)) {
                        cidrs.add(Cidr.parse(part));
                    }
                    yield Collections.unmodifiableList(cidrs);
                }
            };
        } catch (IllegalArgumentException | ArithmeticException e) {
            String detail = e instanceof NumberFormatException ? "got '" + text + "'" : e.getMessage();
            throw new OptionException(owner + ": option '" + spec.name() + "' expects "
                    + spec.type().description() + "; " + detail);
        }
    }

    private static Boolean parseBoolean(String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("got '" + t + "'");
        };
    }

    private static Duration parseDuration(String t) {
        Matcher m = DURATION.matcher(t.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("got '" + t + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** Parses a size: a bare number is bytes; KiB/MiB/GiB/TiB (and K/M/G) are powers of 1024, KB/MB/GB/TB of 1000. */
    public static long parseSize(String t) {
        Matcher m = SIZE.matcher(t.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("got '" + t + "'");
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2) == null ? "b" : m.group(2)) {
            case "b" -> 1L;
            case "kib", "k" -> 1L << 10;
            case "mib", "m" -> 1L << 20;
            case "gib", "g" -> 1L << 30;
            case "tib" -> 1L << 40;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            default -> 1_000_000_000_000L;
        };
        return Math.multiplyExact(n, unit);
    }

    /** Parses {@code host:port} ({@code [v6]:port} for IPv6) without resolving the host. */
    public static InetSocketAddress parseHostPort(String t) {
        String s = t.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("expected host:port, got '" + t + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("write an IPv6 address in brackets, as [::1]:2055; got '" + t + "'");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number in '" + t + "'");
        }
        if (port < 1 || port > 65535 || host.isEmpty()) {
            throw new IllegalArgumentException("expected host:port with a port of 1-65535, got '" + t + "'");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    private static List<String> splitList(String t) {
        if (t.isEmpty()) {
            return List.of();
        }
        return List.of(t.split("\\s*,\\s*")).stream().filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableList());
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String getString(String name) {
        return (String) values.get(name);
    }

    public int getInt(String name) {
        return (Integer) require(name);
    }

    public long getLong(String name) {
        return (Long) require(name);
    }

    public double getDouble(String name) {
        return (Double) require(name);
    }

    public boolean getBoolean(String name) {
        return (Boolean) require(name);
    }

    public Duration getDuration(String name) {
        return (Duration) values.get(name);
    }

    /** A size option in bytes. */
    public long getSize(String name) {
        return (Long) require(name);
    }

    /** A {@link OptionType#HOST_PORT} option, unresolved; null when unset and without default. */
    public InetSocketAddress getHostPort(String name) {
        return (InetSocketAddress) values.get(name);
    }

    @SuppressWarnings("unchecked")
    public List<InetSocketAddress> getHostPorts(String name) {
        Object v = values.get(name);
        return v == null ? List.of() : (List<InetSocketAddress>) v;
    }

    /** A choice declared with {@link OptionSpec#choice(String, Class, Enum, String)}, as its enum constant. */
    public <E extends Enum<E>> E getEnum(String name, Class<E> type) {
        String v = (String) require(name);
        for (E e : type.getEnumConstants()) {
            if (OptionSpec.choiceName(e).equals(v)) {
                return e;
            }
        }
        throw new IllegalStateException("option '" + name + "' value '" + v + "' is not a " + type.getSimpleName());
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String name) {
        Object v = values.get(name);
        return v == null ? List.of() : (List<String>) v;
    }

    @SuppressWarnings("unchecked")
    public List<Cidr> getCidrs(String name) {
        Object v = values.get(name);
        return v == null ? List.of() : (List<Cidr>) v;
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("option '" + name + "' has no value and no default");
        }
        return v;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        values.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append('=')
                .append(isSecret(k) ? "xxxxxx" : v));
        return b.append('}').toString();
    }

    /** Option names whose values are never printed: passwords, secrets, tokens, keys. */
    static boolean isSecret(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return n.contains("password") || n.contains("passwd") || n.contains("secret") || n.contains("token")
                || n.endsWith("apikey") || n.endsWith("accesskey") || n.contains("credential");
    }
}
