package io.github.accepted.postgres;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.RejectedJobException;
import io.github.accepted.internal.PayloadBytes;
import io.github.accepted.spi.IdempotencyKey;
import io.github.accepted.spi.KeyedCreate;
import io.github.accepted.spi.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Group commit of new jobs: concurrent {@code create}, {@code createIdempotent} and
 * {@code createClaimed} calls on one store are written in one multi-row {@code INSERT … SELECT
 * FROM unnest(…) ON CONFLICT DO NOTHING RETURNING id} and one commit (a lone one in a plain
 * single-row {@code INSERT}). Every caller returns once its own row committed.
 *
 * <p>A row that does not come back answers its own caller only: its idempotency key names
 * another job (that job is returned), or its id exists already ({@link IllegalArgumentException}).
 * A batch that fails for another reason than a moment's unavailability is written again row by
 * row, so that one bad row fails alone. A batch that fails for a moment's unavailability (a lost
 * connection, a deadlock, a statement timeout) is written again after a backoff; since the
 * first try may have committed before its answer was lost, a row found stored on a later try
 * with this job's id, type, owner and creation time is taken as written by the first.
 */
final class SubmitBatcher {

    /** At most this many rows per {@code INSERT}. */
    static final int MAX_BATCH = 256;
    /** At most this many {@code INSERT}s of one store in flight at once, each on its own connection. */
    static final int MAX_IN_FLIGHT = 2;
    /** At most this many submits waiting for a flush; past it, a submit is refused (503, Retry-After). */
    static final int MAX_PENDING = 4096;
    /** Tries of a batch that fails for a moment's unavailability, 10 ms apart and doubling (about 0.3 s in all). */
    static final int MAX_ATTEMPTS = 6;

    private static final Duration FULL_RETRY = Duration.ofSeconds(1);
    private static final String COLUMNS = "id, type, owner, status, version, attempt, "
            + "progress_percent, progress_message, metadata, result_type, result, error_type, error_title, error_status, "
            + "error_detail, cancel_requested, updated_at, started_at, finished_at, expires_at, input_type, input, "
            + "created_at, run_after, idem_scope, idem_key, idem_fingerprint, lease_owner, lease_expires_at, "
            + "propagation";
    static final String INSERT_ONE = "INSERT INTO accepted_jobs (" + COLUMNS + ") "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) "
            + "ON CONFLICT DO NOTHING";
    static final String INSERT_MANY = "INSERT INTO accepted_jobs (" + COLUMNS + ") SELECT id, type, owner, status, "
            + "version, attempt, progress_percent, progress_message, metadata, result_type, result, error_type, "
            + "error_title, error_status, error_detail, cancel_requested, " + PgTimestamps.fromMicros("updated_at")
            + ", " + PgTimestamps.fromMicros("started_at") + ", " + PgTimestamps.fromMicros("finished_at") + ", "
            + PgTimestamps.fromMicros("expires_at") + ", input_type, input, " + PgTimestamps.fromMicros("created_at")
            + ", " + PgTimestamps.fromMicros("created_at") + ", idem_scope, idem_key, idem_fingerprint, lease_owner, "
            + PgTimestamps.fromMicros("lease_expires_at") + ", propagation FROM unnest(?::text[], ?::text[], "
            + "?::text[], " + MutableColumnArrays.TYPES + ", ?::text[], ?::bytea[], ?::int8[], ?::text[], ?::text[], "
            + "?::text[], ?::text[], ?::int8[], ?::jsonb[]) AS u(" + COLUMNS.replace(", run_after", "") + ") "
            + "ON CONFLICT DO NOTHING RETURNING id";

    /** One new job to insert, and what became of it. */
    static final class Row extends GroupCommit.Entry {
        final Job job;
        final @Nullable IdempotencyKey idempotencyKey;
        final @Nullable String leaseOwner;
        final @Nullable Instant leaseExpiresAt;
        boolean inserted;

        @Nullable
        KeyedCreate existing;

        boolean again;

        Row(
                Job job,
                @Nullable IdempotencyKey idempotencyKey,
                @Nullable String leaseOwner,
                @Nullable Instant leaseExpiresAt) {
            this.job = job;
            this.idempotencyKey = idempotencyKey;
            this.leaseOwner = leaseOwner;
            this.leaseExpiresAt = leaseExpiresAt;
        }

        @Override
        String key() {
            return job.id().value();
        }

        void reset() {
            inserted = false;
            existing = null;
            again = false;
            clearFailure();
        }

        boolean queued() {
            return leaseOwner == null;
        }
    }

    private final DataSource dataSource;
    private final Consumer<Row> committed;
    private final GroupCommit<Row> commits;

    /** {@code committed} is told of each row inserted, after its commit. */
    SubmitBatcher(DataSource dataSource, Consumer<Row> committed) {
        this.dataSource = dataSource;
        this.committed = committed;
        this.commits = new GroupCommit<>("new jobs", MAX_BATCH, MAX_IN_FLIGHT, MAX_PENDING, this::write);
    }

    /** Inserts {@code row} with whatever else is being submitted; returns once it committed, or throws. */
    void insert(Row row) {
        commits.write(
                row,
                () -> new RejectedJobException(
                        RejectedJobException.Reason.QUEUE_FULL,
                        "the store's buffer of " + MAX_PENDING + " submits waiting to be written is full",
                        FULL_RETRY));
    }

    GroupCommit<Row> commits() {
        return commits;
    }

    private void write(List<Row> batch) {
        batch.sort(Comparator.comparing(Row::key)); // batches lock rows in one order: no deadlock between them
        List<Row> together = new ArrayList<>(batch.size());
        for (Row row : batch) {
            if (timesFit(row)) {
                together.add(row);
            } else {
                writeRows(List.of(row), false); // an instant the batch cannot bind: alone, with a plain INSERT
            }
        }
        if (!together.isEmpty()) {
            writeRows(together, false);
        }
    }

    private void writeRows(List<Row> rows, boolean maybeWritten) {
        long backoff = 10;
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                if (!c.getAutoCommit()) {
                    c.setAutoCommit(true);
                }
                Set<String> inserted = rows.size() == 1 ? insertOne(c, rows.get(0)) : insertMany(c, rows);
                List<Row> missing = new ArrayList<>();
                for (Row row : rows) {
                    if (inserted.contains(row.key())) {
                        row.inserted = true;
                    } else {
                        missing.add(row);
                    }
                }
                for (Row row : missing) {
                    resolve(c, row, maybeWritten || attempt > 1);
                }
                break;
            } catch (SQLException e) {
                rows.forEach(Row::reset);
                if (!SqlFailures.isTransient(e)) {
                    if (rows.size() > 1) {
                        for (Row row : rows) {
                            writeRows(List.of(row), maybeWritten || attempt > 1);
                        }
                        return;
                    }
                    rows.get(0).fail(SqlFailures.translate("could not create a job", e));
                    return;
                }
                if (attempt >= MAX_ATTEMPTS) {
                    StoreUnavailableException failure = new StoreUnavailableException("could not create a job", e);
                    rows.forEach(row -> row.fail(failure));
                    return;
                }
                sleep(backoff);
                backoff *= 2;
            }
        }
        for (Row row : rows) {
            if (row.inserted) {
                committed.accept(row);
            }
        }
    }

    /** A row that did not come back from the {@code INSERT}: why. */
    private static void resolve(Connection c, Row row, boolean maybeWritten) throws SQLException {
        if (row.idempotencyKey != null) {
            Optional<KeyedCreate> named = byKey(c, row.idempotencyKey);
            if (named.isPresent()) {
                if (named.get().job().id().equals(row.job.id())) {
                    row.inserted = true; // written by an earlier try whose answer was lost
                } else {
                    row.existing = named.get();
                }
                return;
            }
        }
        Optional<Job> stored = identity(c, row.job.id());
        if (stored.isEmpty()) {
            row.again = true; // what it conflicted with is gone now: the caller tries again
        } else if (maybeWritten && row.idempotencyKey == null && sameJob(stored.get(), row.job)) {
            row.inserted = true;
        } else {
            row.fail(new IllegalArgumentException("job " + row.job.id() + " exists already"));
        }
    }

    private static boolean sameJob(Job stored, Job written) {
        return stored.type().equals(written.type())
                && stored.owner().equals(written.owner())
                && Math.abs(Duration.between(stored.createdAt(), written.createdAt())
                                .toNanos())
                        < 1_000;
    }

    /** The id, type, owner and creation time of a stored job (the other fields are left empty). */
    private static Optional<Job> identity(Connection c, JobId id) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT " + JobRows.COLUMNS + " FROM accepted_jobs WHERE id = ?")) {
            s.setString(1, id.value());
            try (ResultSet row = s.executeQuery()) {
                return row.next() ? Optional.of(JobRows.read(row)) : Optional.empty();
            }
        }
    }

    static Optional<KeyedCreate> byKey(Connection c, IdempotencyKey key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + JobRows.COLUMNS + ", idem_fingerprint "
                + "FROM accepted_jobs WHERE idem_scope = ? AND idem_key = ?")) {
            s.setString(1, key.scope());
            s.setString(2, key.key());
            try (ResultSet row = s.executeQuery()) {
                return row.next()
                        ? Optional.of(new KeyedCreate(JobRows.read(row), false, row.getString("idem_fingerprint")))
                        : Optional.empty();
            }
        }
    }

    private static Set<String> insertOne(Connection c, Row row) throws SQLException {
        Job job = row.job;
        try (PreparedStatement s = c.prepareStatement(INSERT_ONE)) {
            s.setString(1, job.id().value());
            s.setString(2, job.type());
            s.setString(3, job.owner());
            int i = JobRows.setMutable(s, 4, job);
            s.setString(i++, job.input().mediaType());
            s.setBytes(i++, PayloadBytes.readOnly(job.input()));
            JobRows.setTimestamp(s, i++, job.createdAt());
            JobRows.setTimestamp(s, i++, job.createdAt());
            IdempotencyKey key = row.idempotencyKey;
            s.setString(i++, key == null ? null : key.scope());
            s.setString(i++, key == null ? null : key.key());
            s.setString(i++, key == null ? null : key.fingerprint());
            s.setString(i++, row.leaseOwner);
            JobRows.setTimestamp(s, i++, row.leaseExpiresAt);
            s.setString(i, Propagation.write(job.propagation()));
            return s.executeUpdate() == 0 ? Set.of() : Set.of(row.key());
        }
    }

    private static Set<String> insertMany(Connection c, List<Row> rows) throws SQLException {
        int n = rows.size();
        String[] id = new String[n];
        String[] type = new String[n];
        String[] owner = new String[n];
        String[] inputType = new String[n];
        byte[][] input = new byte[n][];
        Long[] createdAt = new Long[n];
        String[] scope = new String[n];
        String[] key = new String[n];
        String[] fingerprint = new String[n];
        String[] leaseOwner = new String[n];
        Long[] leaseExpiresAt = new Long[n];
        String[] propagation = new String[n];
        List<Job> jobs = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            Row row = rows.get(r);
            Job job = row.job;
            jobs.add(job);
            id[r] = job.id().value();
            type[r] = job.type();
            owner[r] = job.owner();
            inputType[r] = job.input().mediaType();
            input[r] = PayloadBytes.readOnly(job.input());
            createdAt[r] = PgTimestamps.micros(job.createdAt());
            IdempotencyKey k = row.idempotencyKey;
            scope[r] = k == null ? null : k.scope();
            key[r] = k == null ? null : k.key();
            fingerprint[r] = k == null ? null : k.fingerprint();
            leaseOwner[r] = row.leaseOwner;
            leaseExpiresAt[r] = row.leaseExpiresAt == null ? null : PgTimestamps.micros(row.leaseExpiresAt);
            propagation[r] = Propagation.write(job.propagation());
        }
        try (PreparedStatement s = c.prepareStatement(INSERT_MANY)) {
            int i = 1;
            ArrayParameters.bind(c, s, i++, "text", id);
            ArrayParameters.bind(c, s, i++, "text", type);
            ArrayParameters.bind(c, s, i++, "text", owner);
            i = new MutableColumnArrays(jobs).bind(c, s, i);
            ArrayParameters.bind(c, s, i++, "text", inputType);
            ArrayParameters.bind(c, s, i++, "bytea", input);
            ArrayParameters.bind(c, s, i++, "int8", createdAt);
            ArrayParameters.bind(c, s, i++, "text", scope);
            ArrayParameters.bind(c, s, i++, "text", key);
            ArrayParameters.bind(c, s, i++, "text", fingerprint);
            ArrayParameters.bind(c, s, i++, "text", leaseOwner);
            ArrayParameters.bind(c, s, i++, "int8", leaseExpiresAt);
            ArrayParameters.bind(c, s, i, "text", propagation);
            Set<String> inserted = new HashSet<>();
            try (ResultSet returned = s.executeQuery()) {
                while (returned.next()) {
                    inserted.add(returned.getString(1));
                }
            }
            return inserted;
        }
    }

    /** Whether every instant of the row can be bound as microseconds (years 1685 to 2255: always, in practice). */
    private static boolean timesFit(Row row) {
        return PgTimestamps.fits(row.job.createdAt())
                && MutableColumnArrays.fits(row.job)
                && (row.leaseExpiresAt == null || PgTimestamps.fits(row.leaseExpiresAt));
    }

    /** Sleeps {@code millis} even if interrupted (a write waited for must not be cut short), keeping the interrupt. */
    static void sleep(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        boolean interrupted = false;
        for (long left = millis * 1_000_000L; left > 0; left = deadline - System.nanoTime()) {
            try {
                Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
