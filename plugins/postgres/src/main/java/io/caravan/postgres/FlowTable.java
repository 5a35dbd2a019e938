package io.caravan.postgres;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The flows table: the columns of the flow-pipeline seed's inserter, done properly (addresses as
 * {@code inet}, flow start and end, sampler, interfaces), created when missing. One row per flow
 * record, in the order {@link CopyRows} writes them.
 */
final class FlowTable {
    /** A table name as an operator writes it: {@code flows} or {@code telemetry.flows}. */
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}(\\.[a-z_][a-z0-9_]{0,62})?");

    static final List<String> COLUMNS = List.of("date", "time_received", "time_flow_start", "time_flow_end", "type",
            "sequence_num", "sampling_rate", "sampler_address", "src_addr", "dst_addr", "src_as", "dst_as", "etype",
            "proto", "src_port", "dst_port", "bytes", "packets", "tcp_flags", "in_if", "out_if");

    private final String name;

    FlowTable(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("postgres: table name must be [schema.]name in lower case letters, digits"
                    + " and '_' (it is used in SQL as written); got '" + name + "'");
        }
        this.name = name;
    }

    String name() {
        return name;
    }

    /** Creates the table and its time index when missing; an existing table is left as it is. */
    String createStatement() {
        String index = name.replace('.', '_') + "_time_received_idx";
        return "CREATE TABLE IF NOT EXISTS " + name + " ("
                + "date date NOT NULL, "
                + "time_received timestamptz NOT NULL, "
                + "time_flow_start timestamptz, "
                + "time_flow_end timestamptz, "
                + "type text NOT NULL, "
                + "sequence_num bigint NOT NULL, "
                + "sampling_rate bigint NOT NULL, "
                + "sampler_address inet, "
                + "src_addr inet, "
                + "dst_addr inet, "
                + "src_as bigint NOT NULL, "
                + "dst_as bigint NOT NULL, "
                + "etype integer NOT NULL, "
                + "proto smallint NOT NULL, "
                + "src_port integer NOT NULL, "
                + "dst_port integer NOT NULL, "
                + "bytes bigint NOT NULL, "
                + "packets bigint NOT NULL, "
                + "tcp_flags smallint NOT NULL, "
                + "in_if bigint NOT NULL, "
                + "out_if bigint NOT NULL); "
                + "CREATE INDEX IF NOT EXISTS " + index + " ON " + name + " (time_received)";
    }

    /** COPY in PostgreSQL's text format, the rows {@link CopyRows} writes. */
    String copyStatement() {
        return "COPY " + name + " (" + String.join(", ", COLUMNS) + ") FROM STDIN";
    }
}
