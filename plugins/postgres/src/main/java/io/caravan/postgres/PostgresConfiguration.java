package io.caravan.postgres;

import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.StageOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The settings of one {@code postgres:<table>?options} endpoint, bound against {@link #OPTIONS}.
 *
 * @param table            the table the rows go to, from the URI's path
 * @param url              the JDBC URL
 * @param user             the database user
 * @param password         the user's password (masked wherever the server shows URIs)
 * @param poolSize         connections kept at most
 * @param batchRecords     rows per COPY at most
 * @param flushInterval    how long a row waits for its batch to fill
 * @param retryMax         the longest wait between attempts while the database is away
 * @param spoolBytes       disk kept for rows accepted while the database is away
 * @param connectTimeoutMs how long one attempt waits for a connection
 * @param createTable      whether the table is created when missing
 */
public record PostgresConfiguration(String table, String url, String user, String password, int poolSize,
                                    int batchRecords, Duration flushInterval, Duration retryMax, long spoolBytes,
                                    long connectTimeoutMs, boolean createTable) {

    static final String SCHEME = "postgres";

    static final OptionSpec URL = OptionSpec.required("url", OptionType.STRING, "The JDBC URL,"
            + " jdbc:postgresql://host:5432/database (any pgJDBC URL parameter, e.g. ?sslmode=verify-full).");
    static final OptionSpec USER = OptionSpec.string("user", "", "The database user; empty: the URL's or the driver's default.");
    static final OptionSpec PASSWORD = OptionSpec.string("password", "", "The user's password; never logged or shown.");
    static final OptionSpec POOL_SIZE = OptionSpec.integer("poolSize", 2, "Connections kept open at most.").min(1).max(32);
    static final OptionSpec BATCH_RECORDS = OptionSpec.integer("batchRecords", 5000, "Rows sent in one COPY at most;"
            + " a full batch is sent at once.").min(1).max(1_000_000);
    static final OptionSpec FLUSH_INTERVAL = OptionSpec.duration("flushInterval", "1s", "A batch that has not filled is"
            + " sent this long after its first row.").min("10ms").max("1h");
    static final OptionSpec RETRY_MAX = OptionSpec.duration("retryMax", "30s", "While the database is away, attempts"
            + " back off from 100 ms, doubling, to at most this.").min("100ms").max("1h");
    static final OptionSpec SPOOL_BYTES = OptionSpec.size("spoolBytes", "1GiB", "Disk (under the plugin's data"
            + " directory) for rows accepted while the database is away; past it, rows are refused and counted.").min(1);
    static final OptionSpec CONNECT_TIMEOUT = OptionSpec.duration("connectTimeout", "5s", "How long one attempt waits"
            + " for a connection.").min("250ms").max("5m");
    static final OptionSpec CREATE_TABLE = OptionSpec.bool("createTable", true, "Create the table and its"
            + " time_received index when missing (CREATE TABLE IF NOT EXISTS).");

    /** Every option of the endpoint, in the order the docs list them. */
    static final List<OptionSpec> OPTIONS = List.of(URL, USER, PASSWORD, POOL_SIZE, BATCH_RECORDS, FLUSH_INTERVAL,
            RETRY_MAX, SPOOL_BYTES, CONNECT_TIMEOUT, CREATE_TABLE);

    static PostgresConfiguration of(String remaining, Map<String, ?> parameters) throws OptionException {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException(SCHEME + ": needs a table, as " + SCHEME + ":flows");
        }
        StageOptions o = StageOptions.bindComponent(SCHEME, OPTIONS, parameters);
        String url = o.getString(URL.name());
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new OptionException("component '" + SCHEME + "': option 'url' must be a pgJDBC URL starting"
                    + " jdbc:postgresql://; got '" + url.replaceAll("password=[^&]*", "password=xxxxxx") + "'");
        }
        return new PostgresConfiguration(remaining, url, o.getString(USER.name()), o.getString(PASSWORD.name()),
                o.getInt(POOL_SIZE.name()), o.getInt(BATCH_RECORDS.name()), o.getDuration(FLUSH_INTERVAL.name()),
                o.getDuration(RETRY_MAX.name()), o.getSize(SPOOL_BYTES.name()),
                o.getDuration(CONNECT_TIMEOUT.name()).toMillis(), o.getBoolean(CREATE_TABLE.name()));
    }

    @Override
    public String toString() {
        return "PostgresConfiguration[table=" + table + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
}
