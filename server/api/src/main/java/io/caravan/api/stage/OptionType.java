package io.caravan.api.stage;

/** The types a stage option may have, with the words used in error messages and docs. */
public enum OptionType {
    STRING("string"),
    INT("integer"),
    LONG("long integer"),
    DOUBLE("number"),
    BOOLEAN("boolean (true|false)"),
    DURATION("duration (e.g. 500ms, 10s, 5m, 1h; a bare number is milliseconds)"),
    CHOICE("one of the listed choices"),
    LIST("comma-separated list"),
    CIDR_LIST("comma-separated list of CIDR prefixes (e.g. 10.0.0.0/8,fd00::/8)");

    private final String description;

    OptionType(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
