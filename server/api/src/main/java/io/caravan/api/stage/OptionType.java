package io.caravan.api.stage;

/** The types a stage or component option may have, with the words used in error messages and docs. */
public enum OptionType {
    STRING("string"),
    INT("integer"),
    LONG("long integer"),
    DOUBLE("number"),
    BOOLEAN("boolean (true|false)"),
    DURATION("duration (e.g. 500ms, 10s, 5m, 1h; a bare number is milliseconds)"),
    SIZE("size in bytes (e.g. 512, 64KiB, 16MiB, 1GiB; KB/MB/GB are powers of 1000)"),
    CHOICE("one of the listed choices"),
    LIST("comma-separated list"),
    CIDR_LIST("comma-separated list of CIDR prefixes (e.g. 10.0.0.0/8,fd00::/8)"),
    HOST_PORT("host:port (IPv6 as [::1]:2055)"),
    HOST_PORT_LIST("comma-separated list of host:port");

    private final String description;

    OptionType(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Whether {@link OptionSpec#min()} and {@link OptionSpec#max()} apply to this type. */
    public boolean bounded() {
        return this == INT || this == LONG || this == DOUBLE || this == DURATION || this == SIZE;
    }
}
