package io.caravan.api.stage;

import io.caravan.api.net.Cidr;
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
        Map<String, OptionSpec> byName = new LinkedHashMap<>();
        specs.forEach(s -> byName.put(s.name(), s));
        for (String given : raw.keySet()) {
            if (!byName.containsKey(given)) {
                throw new OptionException("stage '" + stage + "': unknown option '" + given + "'; valid options: "
                        + (byName.isEmpty() ? "(none)" : String.join(", ", byName.keySet())));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (OptionSpec spec : specs) {
            Object given = raw.get(spec.name());
            String text = given == null ? spec.defaultValue() : String.valueOf(given);
            if (text == null) {
                if (spec.required()) {
                    throw new OptionException("stage '" + stage + "': option '" + spec.name() + "' is required ("
                            + spec.type().description() + "): " + spec.doc());
                }
                continue;
            }
            values.put(spec.name(), convert(stage, spec, text));
        }
        return new StageOptions(values);
    }

    /** Binds an empty map: every default. */
    public static StageOptions defaults(String stage, List<OptionSpec> specs) throws OptionException {
        return bind(stage, specs, Map.of());
    }

    private static Object convert(String stage, OptionSpec spec, String text) throws OptionException {
        String t = text.trim();
        try {
            return switch (spec.type()) {
                case STRING -> text;
                case INT -> Integer.parseInt(t);
                case LONG -> Long.parseLong(t);
                case DOUBLE -> Double.parseDouble(t);
                case BOOLEAN -> parseBoolean(t);
                case DURATION -> parseDuration(t);
                case CHOICE -> {
                    if (!spec.choices().contains(t)) {
                        throw new OptionException("stage '" + stage + "': option '" + spec.name() + "' must be one of "
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
        } catch (IllegalArgumentException e) {
            String detail = e instanceof NumberFormatException ? "got '" + text + "'" : e.getMessage();
            throw new OptionException("stage '" + stage + "': option '" + spec.name() + "' expects "
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
        return values.toString();
    }
}
