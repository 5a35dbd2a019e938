package io.caravan.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * The database side: a small connection pool, the table created once per connection to a live
 * server, and COPY of prepared rows in one transaction (all of a batch or none of it).
 */
final class FlowDatabase implements AutoCloseable {
    /** A batch the server refused for its content, not for being away: retrying cannot help. */
    static final class RowsRefused extends Exception {
        RowsRefused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HikariDataSource pool;
    private final FlowTable table;
    private final boolean createTable;
    private volatile boolean schemaReady;

    FlowDatabase(PostgresConfiguration c, FlowTable table) throws SQLException {
        if (!org.postgresql.Driver.isRegistered()) {
            org.postgresql.Driver.register();
        }
        HikariConfig h = new HikariConfig();
        h.setPoolName("caravan-postgres-" + table.name());
        h.setJdbcUrl(c.url());
        h.setUsername(c.user());
        h.setPassword(c.password());
        h.setMaximumPoolSize(c.poolSize());
        h.setMinimumIdle(0);
        h.setAutoCommit(false);
        h.setConnectionTimeout(c.connectTimeoutMs());
        // Start without a database: the sink must come up (and spool) while PostgreSQL is away.
        h.setInitializationFailTimeout(-1);
        h.setDriverClassName(org.postgresql.Driver.class.getName());
        this.pool = new HikariDataSource(h);
        this.table = table;
        this.createTable = c.createTable();
    }

    /**
     * Copies the rows in one transaction.
     *
     * @throws SQLException when the server is unreachable or fails for a reason retrying may cure
     * @throws RowsRefused  when the server refuses the rows themselves (SQLSTATE class 22 or 23)
     */
    long copy(InputStream rows) throws SQLException, IOException, RowsRefused {
        try (Connection c = pool.getConnection()) {
            try {
                ensureSchema(c);
                long n = c.unwrap(PGConnection.class).getCopyAPI().copyIn(table.copyStatement(), rows);
                c.commit();
                return n;
            } catch (SQLException e) {
                rollbackQuietly(c);
                String state = e.getSQLState();
                if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                    throw new RowsRefused(e.getMessage(), e);
                }
                throw e;
            }
        }
    }

    private void ensureSchema(Connection c) throws SQLException {
        if (!createTable || schemaReady) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute(table.createStatement());
        }
        c.commit();
        schemaReady = true;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
