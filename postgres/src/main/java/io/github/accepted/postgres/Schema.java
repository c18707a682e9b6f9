package io.github.accepted.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versioned schema scripts in this jar ({@code V1__jobs.sql}, …) and the table that records
 * which were applied. Migrating takes a transaction-scoped advisory lock, so instances starting
 * together apply each script once.
 */
final class Schema {

    /** The scripts, in order; version = position + 1. */
    static final List<String> SCRIPTS = List.of(
            "V1__jobs.sql", "V2__instances.sql", "V3__trace_context.sql", "V4__owner_queue.sql", "V5__callbacks.sql");

    private static final Logger LOG = LoggerFactory.getLogger(Schema.class);
    private static final long LOCK = 0x616363657074L; // "accept"

    private Schema() {}

    /** Applies every script not applied yet. */
    static void migrate(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                statement.execute(
                        "CREATE TABLE IF NOT EXISTS accepted_schema_version ("
                                + "version integer PRIMARY KEY, script text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
                int current = current(statement);
                for (int version = current + 1; version <= SCRIPTS.size(); version++) {
                    String script = SCRIPTS.get(version - 1);
                    statement.execute(read(script));
                    statement.execute("INSERT INTO accepted_schema_version (version, script) VALUES (" + version + ", '"
                            + script + "')");
                    LOG.info("applied {}", script);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Fails unless every script has been applied (for DBA-managed schemas). */
    static void verify(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            int current;
            try {
                current = current(statement);
            } catch (SQLException e) {
                throw new IllegalStateException(
                        "the Accepted schema is missing: apply " + SCRIPTS
                                + " (in accepted-postgres.jar) or let the store create it",
                        e);
            }
            if (current < SCRIPTS.size()) {
                throw new IllegalStateException("the Accepted schema is at version " + current + ", this library needs "
                        + SCRIPTS.size() + ": apply " + SCRIPTS.subList(current, SCRIPTS.size()));
            }
        }
    }

    private static int current(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT coalesce(max(version), 0) FROM accepted_schema_version")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** The text of a script, as the jar holds it (and as docs/postgres.md shows it). */
    static String read(String script) {
        try (InputStream in = Schema.class.getResourceAsStream(script)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
