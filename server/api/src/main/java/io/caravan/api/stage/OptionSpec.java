package io.caravan.api.stage;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One declared option of a stage or component: the single source for validation,
 * {@code caravan plugins}, the admin API and the generated docs. Build with the static factories
 * and refine with {@link #min}, {@link #max}, {@link #asRequired()}:
 *
 * <pre>{@code
 * OptionSpec.integer("batchSize", 64, "Datagrams handed on per exchange").min(1).max(4096)
 * OptionSpec.size("maxTemplateBytes", "4MiB", "Template bytes per exporter").min("1KiB")
 * OptionSpec.choice("onError", Mode.class, Mode.DROP, "What a bad record does")
 * }</pre>
 *
 * Bounds and defaults are written in route syntax and checked by the same parser as route values,
 * so a spec whose default breaks its own bounds fails when the plugin loads, not in production.
 *
 * @param name         the option name as written in a route
 * @param type         its type
 * @param defaultValue its default in route syntax, or null when there is none
 * @param doc          one line: what it does
 * @param choices      the allowed values of a {@link OptionType#CHOICE} option, else empty
 * @param required     whether a route must set it
 * @param min          the smallest allowed value in route syntax (bounded types only), or null
 * @param max          the largest allowed value in route syntax (bounded types only), or null
 */
public record OptionSpec(String name, OptionType type, String defaultValue, String doc,
                         List<String> choices, boolean required, String min, String max) {

    public OptionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(doc, "doc");
        choices = List.copyOf(choices);
        if (type == OptionType.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("option " + name + " is a CHOICE without choices");
        }
        if ((min != null || max != null) && !type.bounded()) {
            throw new IllegalArgumentException("option " + name + ": min/max do not apply to " + type);
        }
    }

    public OptionSpec(String name, OptionType type, String defaultValue, String doc, List<String> choices,
                      boolean required) {
        this(name, type, defaultValue, doc, choices, required, null, null);
    }

    public static OptionSpec of(String name, OptionType type, String defaultValue, String doc) {
        return new OptionSpec(name, type, defaultValue, doc, List.of(), false);
    }

    public static OptionSpec required(String name, OptionType type, String doc) {
        return new OptionSpec(name, type, null, doc, List.of(), true);
    }

    public static OptionSpec string(String name, String defaultValue, String doc) {
        return of(name, OptionType.STRING, defaultValue, doc);
    }

    public static OptionSpec integer(String name, int defaultValue, String doc) {
        return of(name, OptionType.INT, Integer.toString(defaultValue), doc);
    }

    public static OptionSpec longInteger(String name, long defaultValue, String doc) {
        return of(name, OptionType.LONG, Long.toString(defaultValue), doc);
    }

    public static OptionSpec bool(String name, boolean defaultValue, String doc) {
        return of(name, OptionType.BOOLEAN, Boolean.toString(defaultValue), doc);
    }

    public static OptionSpec duration(String name, String defaultValue, String doc) {
        return of(name, OptionType.DURATION, defaultValue, doc);
    }

    public static OptionSpec size(String name, String defaultValue, String doc) {
        return of(name, OptionType.SIZE, defaultValue, doc);
    }

    public static OptionSpec choice(String name, String defaultValue, String doc, String... choices) {
        return new OptionSpec(name, OptionType.CHOICE, defaultValue, doc, List.of(choices), false);
    }

    /**
     * A choice among an enum's constants, written in routes as their lower-case names with '_' as
     * '-' ({@code ON_ERROR} is {@code on-error}); read back with {@link StageOptions#getEnum}.
     */
    public static <E extends Enum<E>> OptionSpec choice(String name, Class<E> type, E defaultValue, String doc) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(OptionSpec::choiceName).toList();
        return new OptionSpec(name, OptionType.CHOICE, defaultValue == null ? null : choiceName(defaultValue), doc,
                names, false);
    }

    /** The route spelling of an enum constant: lower case, '_' as '-'. */
    public static String choiceName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** This spec with a lower bound (inclusive), in route syntax. */
    public OptionSpec min(Object min) {
        return new OptionSpec(name, type, defaultValue, doc, choices, required, String.valueOf(min), max);
    }

    /** This spec with an upper bound (inclusive), in route syntax. */
    public OptionSpec max(Object max) {
        return new OptionSpec(name, type, defaultValue, doc, choices, required, min, String.valueOf(max));
    }

    /** This spec with no default and required. */
    public OptionSpec asRequired() {
        return new OptionSpec(name, type, null, doc, choices, true, min, max);
    }

    /** The allowed values in words, for docs and errors: choices, bounds, or "" when anything of the type goes. */
    public String allowed() {
        if (type == OptionType.CHOICE) {
            return String.join(", ", choices);
        }
        if (min != null && max != null) {
            return min + " to " + max;
        }
        if (min != null) {
            return ">= " + min;
        }
        if (max != null) {
            return "<= " + max;
        }
        return "";
    }
}
