package io.github.accepted.postgres;

import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.spi.Callback;
import io.github.accepted.spi.CallbackOutbox;
import io.github.accepted.spi.CallbackState;
import io.github.accepted.spi.StoreUnavailableException;
import java.net.URI;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The durable outbox of completion callbacks, in table {@code accepted_callbacks} beside the
 * jobs ({@code V5__callbacks.sql}). A job's callbacks are written before the job; a trigger on
 * {@code accepted_jobs} makes them pending in the very transaction that records the job's
 * outcome, so no instance's death loses one. Any instance delivers: claims take
 * {@code FOR UPDATE SKIP LOCKED} and lease the callback for one attempt; when an instance dies
 * mid-attempt the lease ends and another takes it (at least once; receivers deduplicate by
 * {@code webhook-id}).
 *
 * <pre>{@code
 * PostgresJobStore store = PostgresJobStore.builder(dataSource).build();   // applies the schema
 * Callbacks callbacks = Callbacks.builder()
 *     .secret(secret)
 *     .outbox(PostgresCallbackOutbox.on(dataSource))
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class PostgresCallbackOutbox implements CallbackOutbox {

    private static final String COLUMNS = "job_id, idx, url, events, jobs_url, shown, state, attempts, "
            + micros("created_at") + ", " + micros("ended_at") + ", " + micros("due_at") + ", last_error";

    private final DataSource dataSource;

    private PostgresCallbackOutbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * An outbox on {@code dataSource}. Build the {@link PostgresJobStore} on the same database
     * first: it applies the schema.
     *
     * @throws IllegalStateException if the schema is missing or older than this library
     * @throws StoreUnavailableException if the database cannot be reached
     */
    public static PostgresCallbackOutbox on(DataSource dataSource) {
        try {
            Schema.verify(dataSource);
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not check the Accepted schema", e);
        }
        return new PostgresCallbackOutbox(dataSource);
    }

    @Override
    @SuppressWarnings("NullAway") // its Work<Void> returns null, the only Void there is
    public void subscribe(List<Callback> callbacks) {
        sql("store callbacks", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO accepted_callbacks (job_id, idx, url, events, "
                    + "jobs_url, shown, state, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, 'waiting', 0, ?)")) {
                for (Callback callback : callbacks) {
                    s.setString(1, callback.jobId().value());
                    s.setInt(2, callback.index());
                    s.setString(3, callback.url().toString());
                    s.setArray(
                            4,
                            c.createArrayOf(
                                    "text",
                                    callback.events().stream()
                                            .map(JobStatus::wireName)
                                            .toArray()));
                    s.setString(5, callback.jobsUrl());
                    s.setBoolean(6, callback.shown());
                    JobRows.setTimestamp(s, 7, callback.createdAt());
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void forget(JobId jobId) {
        sql("remove callbacks", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM accepted_callbacks WHERE job_id = ?")) {
                s.setString(1, jobId.value());
                return s.executeUpdate();
            }
        });
    }

    /** Never: the trigger makes callbacks pending in the outcome's transaction. */
    @Override
    public boolean mayBeWaiting(JobId jobId) {
        return false;
    }

    @Override
    public List<Callback> claim(Instant now, int max, Duration lease) {
        return sql("claim callbacks", c -> {
            try (PreparedStatement s = c.prepareStatement("WITH due AS (SELECT job_id AS due_job, idx AS due_idx "
                    + "FROM accepted_callbacks WHERE state = 'pending' AND due_at <= ? ORDER BY due_at LIMIT ? "
                    + "FOR UPDATE SKIP LOCKED) "
                    + "UPDATE accepted_callbacks SET attempts = attempts + 1, due_at = ? FROM due "
                    + "WHERE job_id = due_job AND idx = due_idx RETURNING " + COLUMNS)) {
                JobRows.setTimestamp(s, 1, now);
                s.setInt(2, max);
                JobRows.setTimestamp(s, 3, now.plus(lease));
                return readAll(s);
            }
        });
    }

    @Override
    public boolean record(Callback attempted, Callback next) {
        return sql("record a callback attempt", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE accepted_callbacks SET state = ?, attempts = ?, "
                    + "due_at = ?, last_error = ? WHERE job_id = ? AND idx = ? AND state = ? AND attempts = ?")) {
                s.setString(1, next.state().wireName());
                s.setInt(2, next.attempts());
                JobRows.setTimestamp(s, 3, next.dueAt());
                s.setString(4, next.lastError().orElse(null));
                s.setString(5, attempted.jobId().value());
                s.setInt(6, attempted.index());
                s.setString(7, attempted.state().wireName());
                s.setInt(8, attempted.attempts());
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<Callback> of(JobId jobId) {
        return sql("read callbacks", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM accepted_callbacks WHERE job_id = ? ORDER BY idx")) {
                s.setString(1, jobId.value());
                return readAll(s);
            }
        });
    }

    @Override
    public int purge(Instant before) {
        return sql("purge callbacks", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM accepted_callbacks a WHERE "
                    + "(state IN ('delivered', 'failed', 'skipped') AND ended_at < ?) "
                    + "OR (state = 'waiting' AND created_at < ? "
                    + "AND NOT EXISTS (SELECT 1 FROM accepted_jobs j WHERE j.id = a.job_id))")) {
                JobRows.setTimestamp(s, 1, before);
                JobRows.setTimestamp(s, 2, before);
                return s.executeUpdate();
            }
        });
    }

    private static List<Callback> readAll(PreparedStatement statement) throws SQLException {
        List<Callback> found = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                found.add(read(rows));
            }
        }
        return found;
    }

    private static Callback read(ResultSet row) throws SQLException {
        Set<JobStatus> events = EnumSet.noneOf(JobStatus.class);
        Array array = row.getArray("events");
        for (Object name : (Object[]) array.getArray()) {
            events.add(JobStatus.fromWireName((String) name).orElseThrow());
        }
        return new Callback(
                new JobId(row.getString("job_id")),
                row.getInt("idx"),
                URI.create(row.getString("url")),
                events,
                row.getString("jobs_url"),
                row.getBoolean("shown"),
                CallbackState.valueOf(row.getString("state").toUpperCase(Locale.ROOT)),
                row.getInt("attempts"),
                JobRows.instant(row, "created_at").orElseThrow(),
                JobRows.instant(row, "ended_at"),
                JobRows.instant(row, "due_at"),
                Optional.ofNullable(row.getString("last_error")));
    }

    private static String micros(String column) {
        return "(extract(epoch FROM " + column + ") * 1000000)::bigint AS " + column + "_us";
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T sql(String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not " + what, e);
        }
    }
}
