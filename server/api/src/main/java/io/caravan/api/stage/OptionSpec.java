package io.caravan.api.stage;

import java.util.List;
import java.util.Objects;

/**
 * One declared stage option: the single source for validation, {@code caravan plugins}, the admin
 * API and the docs.
 *
 * @param name         the option name as written in a route
 * @param type         its type
 * @param defaultValue its default in route syntax, or null when there is none
 * @param doc          one line: what it does
 * @param choices      the allowed values of a {@link OptionType#CHOICE} option, else empty
 * @param required     whether a route must set it
 */
public record OptionSpec(String name, OptionType type, String defaultValue, String doc,
                         List<String> choices, boolean required) {

    public OptionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(doc, "doc");
        choices = List.copyOf(choices);
        if (type == OptionType.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("option " + name + " is a CHOICE without choices");
        }
    }

    public static OptionSpec of(String name, OptionType type, String defaultValue, String doc) {
        return new OptionSpec(name, type, defaultValue, doc, List.of(), false);
    }

    public static OptionSpec required(String name, OptionType type, String doc) {
        return new OptionSpec(name, type, null, doc, List.of(), true);
    }

    public static OptionSpec choice(String name, String defaultValue, String doc, String... choices) {
        return new OptionSpec(name, OptionType.CHOICE, defaultValue, doc, List.of(choices), false);
    }
}
