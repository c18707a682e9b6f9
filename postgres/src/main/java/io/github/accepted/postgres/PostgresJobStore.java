package io.github.accepted.postgres;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.RejectedJobException;
import io.github.accepted.internal.SetOnce;
import io.github.accepted.spi.ClaimDemand;
import io.github.accepted.spi.Fetch;
import io.github.accepted.spi.Heartbeat;
import io.github.accepted.spi.IdempotencyKey;
import io.github.accepted.spi.JobStore;
import io.github.accepted.spi.KeyedCreate;
import io.github.accepted.spi.ListQuery;
import io.github.accepted.spi.Page;
import io.github.accepted.spi.QueueDrain;
import io.github.accepted.spi.StoreFailureException;
import io.github.accepted.spi.StoreUnavailableException;
import java.lang.management.ManagementFactory;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link JobStore} on PostgreSQL, for several instances of an application sharing one
 * database: a job submitted on one instance can be polled on any, run by any, and survives the
 * instance that accepted it.
 *
 * <pre>{@code
 * JobStore store = PostgresJobStore.builder(dataSource).build();   // creates or migrates the schema
 * Accepted accepted = Accepted.builder().store(store).handler(...).build();
 * }</pre>
 *
 * <ul>
 *   <li>Every change is an {@code UPDATE … WHERE id = ? AND version = ?}.</li>
 *   <li>Workers claim in batches with {@code SELECT … FOR UPDATE SKIP LOCKED}; each claim is a
 *       lease, renewed by heartbeats; a job whose lease runs out (its instance died) is taken
 *       back by another instance and retried per its handler's {@code RetryPolicy}.</li>
 *   <li>Liveness: each instance holds a session-level advisory lock while it runs; when
 *       PostgreSQL ends a dead instance's session, the others take its jobs back within
 *       {@link Builder#recoveryInterval(Duration) a quarter of a second}, without waiting for
 *       the lease ({@link Builder#liveness(boolean)}).</li>
 *   <li>{@code LISTEN/NOTIFY} wakes idle workers when work is queued anywhere, and carries every
 *       change so that long-polls on any instance answer at once. Notifications are sent after
 *       the change commits, batched: one {@code NOTIFY} for whatever changed while the previous
 *       one was being sent.</li>
 * </ul>
 * A failed statement is a {@link StoreUnavailableException} when trying again may succeed (a
 * connection lost, a deadlock, the server restarting: by SQLState) and a
 * {@link StoreFailureException} otherwise (a constraint violated, a column missing).
 * Use a connection pool (HikariCP, say) as the {@link DataSource}; the store also holds two
 * connections of its own, for {@code LISTEN} and for its liveness lock, and borrows one to send
 * notifications. Thread-safe.
 * See docs/postgres.md.
 */
public final class PostgresJobStore implements JobStore {

    /** Default lease: a claimed job is taken back this long after its instance stops renewing it. */
    public static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofSeconds(10);

    /** Default of {@link Builder#recoveryInterval(Duration)} with liveness on. */
    public static final Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofMillis(250);

    /**
     * At most this many expired rows are removed by one {@link #purgeExpired(Instant)} call (ten
     * batches of 1,000); the next scheduled purge goes on. With the engine's default purge
     * interval of one minute, that keeps up with about 160 jobs finishing per second; shorten
     * the interval for more.
     */
    public static final int MAX_PURGED_PER_CALL = 10_000;

    private static final int PURGE_BATCH = 1000;
    private static final long CLOSE_FLUSH_MILLIS = 30_000;
    private static final Duration STORE_FULL_RETRY = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final Duration leaseTimeout;
    private final int maxQueued;
    private final int maxRetained;
    private final int maxQueuedPerOwner;
    private final QueueDrain drain = new QueueDrain();
    private final String instanceId;
    private final Notifications notifications;
    private final Bound queued;
    private final Bound retained;
    // --- the write path: group commit of submits and of changes (SubmitBatcher, OutcomeBatcher)
    private final SubmitBatcher submits;
    private final OutcomeBatcher outcomes;
    // --- liveness (Liveness.java): the lock this instance holds, and how often to look for gone ones
    private final Liveness liveness;
    private final Duration recoveryInterval;
    // ---

    private PostgresJobStore(Builder b) {
        this.dataSource = b.dataSource;
        this.leaseTimeout = b.leaseTimeout;
        this.maxQueued = b.maxQueued;
        this.maxRetained = b.maxRetained;
        this.maxQueuedPerOwner = b.maxQueuedPerOwner != null
                ? b.maxQueuedPerOwner
                : Math.min(b.maxQueued, JobStore.DEFAULT_MAX_QUEUED_PER_OWNER);
        this.instanceId = b.instanceId != null
                ? b.instanceId
                : ManagementFactory.getRuntimeMXBean().getName() + "-"
                        + UUID.randomUUID().toString().substring(0, 8);
        try {
            if (b.createSchema) {
                Schema.migrate(dataSource);
            } else {
                Schema.verify(dataSource);
            }
        } catch (SQLException e) {
            throw SqlFailures.translate("could not prepare the Accepted schema", e);
        }
        this.queued = new Bound(maxQueued, () -> count(" WHERE status = 'queued'"));
        this.retained = new Bound(maxRetained, () -> count(""));
        this.notifications = new Notifications(dataSource, instanceId, b.listen);
        this.submits = new SubmitBatcher(dataSource, row -> {
            if (row.queued()) {
                queued.inserted();
            }
            retained.inserted();
            notifications.announce(row.job.id(), row.queued());
        });
        this.outcomes = new OutcomeBatcher(dataSource, change -> {
            if (OutcomeBatcher.leftQueue(change)) {
                drain.departed(1);
            }
            notifications.announce(change.next.id(), change.next.status() == JobStatus.QUEUED);
        });
        this.liveness = b.liveness ? Liveness.start(dataSource, instanceId, 2_000) : Liveness.off();
        this.recoveryInterval = b.recoveryInterval != null
                ? b.recoveryInterval
                : b.liveness ? DEFAULT_RECOVERY_INTERVAL : leaseTimeout.dividedBy(4);
    }

    /** A builder for a store on {@code dataSource}. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** This instance's name in leases. */
    public String instanceId() {
        return instanceId;
    }

    @Override
    public void create(Job job) {
        insert(job, Optional.empty(), null);
    }

    /** One {@code INSERT} of the running job, with this instance's lease. */
    @Override
    public Optional<Job> createClaimed(Job job, Instant now) {
        Objects.requireNonNull(now, "now");
        return Optional.of(insert(job, Optional.empty(), now));
    }

    /**
     * Inserts with {@code ON CONFLICT DO NOTHING}: a key that names a job already costs one more
     * read. When the store is at a bound, a key that names a job still returns that job.
     */
    @Override
    public KeyedCreate createIdempotent(Job job, IdempotencyKey key) {
        Objects.requireNonNull(key, "key");
        while (true) {
            SubmitBatcher.Row row;
            try {
                row = write(job, Optional.of(key), null);
            } catch (RejectedJobException full) {
                Optional<KeyedCreate> existing = byKey(key);
                if (existing.isPresent()) {
                    return existing.get();
                }
                throw full;
            }
            if (row.inserted) {
                return new KeyedCreate(job, true, key.fingerprint());
            }
            if (row.existing != null) {
                return row.existing;
            }
            // what the key or id conflicted with was removed meanwhile: try again
        }
    }

    private Optional<KeyedCreate> byKey(IdempotencyKey key) {
        return sql("find an idempotency key", c -> SubmitBatcher.byKey(c, key));
    }

    /**
     * Inserts a new job within the bounds, queued, or claimed by this instance at
     * {@code claimAt} if that is not null; returns the stored job.
     */
    private Job insert(Job queuedJob, Optional<IdempotencyKey> key, @Nullable Instant claimAt) {
        while (true) {
            SubmitBatcher.Row row = write(queuedJob, key, claimAt);
            if (row.inserted) {
                return row.job;
            }
        }
    }

    /**
     * Checks the bounds, then inserts the job with whatever else this instance is submitting
     * (group commit: {@link SubmitBatcher}); returns once its row committed, or did not (its
     * key named another job, or what it conflicted with was removed meanwhile).
     */
    private SubmitBatcher.Row write(Job queuedJob, Optional<IdempotencyKey> key, @Nullable Instant claimAt) {
        Objects.requireNonNull(queuedJob, "job");
        if (queuedJob.status() != JobStatus.QUEUED || queuedJob.version() != 1) {
            throw new IllegalArgumentException("a new job is queued, at version 1");
        }
        checkBounds(queuedJob, claimAt == null);
        Job job = claimAt == null ? queuedJob : queuedJob.claimed(claimAt);
        SubmitBatcher.Row row = new SubmitBatcher.Row(
                job,
                key.orElse(null),
                claimAt == null ? null : instanceId,
                claimAt == null ? null : claimAt.plus(leaseTimeout));
        submits.insert(row);
        return row;
    }

    private void checkBounds(Job job, boolean toBeQueued) {
        if (!retained.hasRoom()) {
            purgeExpired(job.createdAt());
            retained.recount();
            if (!retained.hasRoom()) {
                throw new RejectedJobException(
                        RejectedJobException.Reason.STORE_FULL,
                        "the store holds its maximum of " + maxRetained + " jobs",
                        STORE_FULL_RETRY);
            }
        }
        if (toBeQueued && !queued.hasRoom()) {
            throw new RejectedJobException(
                    RejectedJobException.Reason.QUEUE_FULL,
                    "the queue holds its maximum of " + maxQueued + " jobs",
                    drain.retryAfter(maxQueued));
        }
        if (toBeQueued && !job.isAnonymous() && queuedOf(job.owner()) >= maxQueuedPerOwner) {
            throw new RejectedJobException(
                    RejectedJobException.Reason.OWNER_QUEUE_FULL,
                    "this owner has its maximum of " + maxQueuedPerOwner + " queued jobs",
                    drain.retryAfter(maxQueuedPerOwner));
        }
    }

    /**
     * How many jobs of {@code owner} are queued, counted up to the bound only (an index-only
     * scan of at most that many entries of {@code accepted_jobs_owner_queued}). Exact but not
     * atomic with the insert: concurrent submits of one owner may overshoot the bound by as
     * many as are in flight.
     */
    private int queuedOf(String owner) {
        return sql("count an owner's queued jobs", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM (SELECT 1 FROM accepted_jobs "
                    + "WHERE owner = ? AND status = 'queued' LIMIT ?) q")) {
                s.setString(1, owner);
                s.setInt(2, maxQueuedPerOwner);
                try (ResultSet rows = s.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                }
            }
        });
    }

    private long count(String where) {
        return sql("count jobs", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM accepted_jobs" + where);
                    ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @Override
    public Optional<Job> find(JobId id) {
        return find(id, Fetch.ALL);
    }

    /**
     * Reads only the payloads {@code fetch} asks for: a status poll of a job with a 10 MB result
     * read 10 MB before (see docs/postgres.md for the measurement), none now.
     */
    @Override
    public Optional<Job> find(JobId id, Fetch fetch) {
        Objects.requireNonNull(id, "id");
        String columns = fetch.all() ? JobRows.COLUMNS : JobRows.columns(fetch);
        return sql("find a job", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + columns + " FROM accepted_jobs WHERE id = ?")) {
                s.setString(1, id.value());
                try (ResultSet row = s.executeQuery()) {
                    return row.next() ? Optional.of(JobRows.read(row)) : Optional.<Job>empty();
                }
            }
        });
    }

    /**
     * A compare-and-set on the version, written with whatever else this instance is changing at
     * the moment (group commit: {@link OutcomeBatcher}); returns once it committed.
     */
    @Override
    public boolean replace(Job current, Job next) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(next, "next");
        if (!current.id().equals(next.id()) || next.version() != current.version() + 1) {
            throw new IllegalArgumentException("next must be the following version of the same job");
        }
        return outcomes.replace(current, next);
    }

    /**
     * As {@link #replace}, but returns once the change is queued for the next flush of
     * outcomes (waiting only while {@value OutcomeBatcher#MAX_PENDING} changes wait already); the
     * future completes after the commit, on one of the store's flusher threads, with whether it
     * won its compare-and-set. Notifications follow the commit, as for {@link #replace}.
     */
    @Override
    public CompletableFuture<Boolean> replaceAsync(Job current, Job next) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(next, "next");
        if (!current.id().equals(next.id()) || next.version() != current.version() + 1) {
            throw new IllegalArgumentException("next must be the following version of the same job");
        }
        return outcomes.replaceAsync(current, next);
    }

    /** Takes a job back only while its lease is still expired or its instance still gone, in the {@code UPDATE}. */
    @Override
    public boolean reclaim(Job expired, Job next, Instant now, Instant runAfter) {
        return update(expired, next, runAfter, Optional.of(now));
    }

    private boolean update(Job current, Job next, Instant runAfter, Optional<Instant> leaseExpiredBy) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(next, "next");
        if (!current.id().equals(next.id()) || next.version() != current.version() + 1) {
            throw new IllegalArgumentException("next must be the following version of the same job");
        }
        String status = next.status().wireName();
        String statement = "UPDATE accepted_jobs SET " + JobRows.MUTABLE_ASSIGNMENTS
                + ", run_after = CASE WHEN ? = 'queued' THEN ? ELSE run_after END"
                + ", lease_owner = CASE WHEN ? = 'running' THEN lease_owner END"
                + ", lease_expires_at = CASE WHEN ? = 'running' THEN lease_expires_at END"
                + " WHERE id = ? AND version = ?"
                + (leaseExpiredBy.isPresent()
                        ? " AND status = 'running' AND (lease_expires_at < ?" + liveness.orOwnerGone() + ")"
                        : "");
        return sql("change a job", c -> {
            try (PreparedStatement s = c.prepareStatement(statement)) {
                int i = JobRows.setMutable(s, 1, next);
                s.setString(i++, status);
                JobRows.setTimestamp(s, i++, runAfter);
                s.setString(i++, status);
                s.setString(i++, status);
                s.setString(i++, current.id().value());
                s.setLong(i++, current.version());
                if (leaseExpiredBy.isPresent()) {
                    JobRows.setTimestamp(s, i++, leaseExpiredBy.get());
                    liveness.bind(s, i);
                }
                if (s.executeUpdate() == 0) {
                    return false;
                }
                if (current.status() == JobStatus.QUEUED && next.status() != JobStatus.QUEUED) {
                    drain.departed(1);
                }
                notifications.announce(next.id(), next.status() == JobStatus.QUEUED);
                return true;
            }
        });
    }

    @Override
    public Optional<Job> claimNext(Instant now, Set<String> types) {
        List<Job> claimed = claim(now, 1, types);
        return claimed.isEmpty() ? Optional.empty() : Optional.of(claimed.get(0));
    }

    /**
     * The claim: the oldest due queued jobs of some types, locked with {@code SKIP LOCKED}, moved
     * to running under a lease. Parameters: now, types, max, started, updated, lease owner, lease
     * expiry.
     */
    static final String CLAIM =
            "WITH c AS (SELECT id AS claimed_id FROM accepted_jobs WHERE status = 'queued' AND run_after <= ? "
                    + "AND type = ANY (?) ORDER BY created_at, id LIMIT ? FOR UPDATE SKIP LOCKED) "
                    + "UPDATE accepted_jobs j SET status = 'running', version = j.version + 1, "
                    + "attempt = j.attempt + 1, progress_percent = 0, progress_message = '', cancel_requested = false, "
                    + "started_at = ?, updated_at = ?, lease_owner = ?, lease_expires_at = ? FROM c WHERE j.id = c.claimed_id "
                    + "RETURNING " + JobRows.COLUMNS;

    /**
     * Sent with {@link #CLAIM}, in its transaction: the claim walks the queue index in order and
     * stops at its limit, whatever the table's statistics say. Without it, a table whose
     * statistics say that few jobs are queued (never analyzed, or analyzed before a burst) had
     * its claims planned as a bitmap scan of every queued row and a sort: 3 to 20 ms a claim with
     * 5,000 queued, all that time holding the row locks of jobs just claimed elsewhere (a
     * {@code FOR UPDATE} in read committed locks the newest version of a row it then skips), so
     * that their outcomes' {@code UPDATE}s waited for it (docs/postgres.md, "claims").
     */
    static final String CLAIM_PLAN = "SET LOCAL enable_sort = off";

    /**
     * One round trip and a commit: the oldest due queued jobs of {@code types}, locked with
     * {@code SKIP LOCKED}, moved to running under this instance's lease. The queue index is
     * walked in order (see {@link #CLAIM_PLAN}) and other types' rows are passed over, so a
     * deploy that leaves many jobs of a new type to the instances that have it costs the old
     * instances a longer scan, not a wrong claim.
     */
    @Override
    public List<Job> claim(Instant now, int max, Set<String> types) {
        Objects.requireNonNull(types, "types");
        if (max < 1 || types.isEmpty()) {
            return List.of();
        }
        return sql("claim jobs", c -> {
            c.setAutoCommit(false);
            List<Job> claimed;
            try {
                claimed = claimIn(c, now, max, types);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
            claimed(claimed);
            return claimed;
        });
    }

    /**
     * Yes: each flush of outcomes asks the engine for room first and, if it has free workers,
     * claims up to that many jobs (at most {@value OutcomeBatcher#MAX_CLAIMED}) in the same
     * transaction, after its {@code UPDATE}: acknowledgements and the next claim in one commit.
     */
    @Override
    public boolean onClaimDemand(ClaimDemand demand) {
        Objects.requireNonNull(demand, "demand");
        outcomes.claimWith(demand, new OutcomeBatcher.Claimer() {
            @Override
            public List<Job> claimIn(Connection c, Instant now, int max, Set<String> types) throws SQLException {
                return PostgresJobStore.this.claimIn(c, now, max, types);
            }

            @Override
            public void claimed(List<Job> jobs) {
                PostgresJobStore.this.claimed(jobs);
            }
        });
        return true;
    }

    /** Jobs claimed in flushes of outcomes so far (for tests). */
    long claimedWithFlushes() {
        return outcomes.claimedWithFlushes();
    }

    /** Claims in {@code c}'s open transaction (the caller commits, then calls {@link #claimed}). */
    List<Job> claimIn(Connection c, Instant now, int max, Set<String> types) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(CLAIM_PLAN + "; " + CLAIM)) {
            JobRows.setTimestamp(s, 1, now);
            s.setArray(2, c.createArrayOf("text", types.toArray()));
            s.setInt(3, max);
            JobRows.setTimestamp(s, 4, now);
            JobRows.setTimestamp(s, 5, now);
            s.setString(6, instanceId);
            JobRows.setTimestamp(s, 7, now.plus(leaseTimeout));
            List<Job> claimed = new ArrayList<>();
            boolean rows = s.execute();
            while (!rows && s.getUpdateCount() != -1) {
                rows = s.getMoreResults();
            }
            if (rows) {
                try (ResultSet returned = s.getResultSet()) {
                    while (returned.next()) {
                        claimed.add(JobRows.read(returned));
                    }
                }
            }
            claimed.sort(Comparator.comparing(Job::createdAt).thenComparing(Job::id));
            return claimed;
        }
    }

    /** After the commit of a claim: counts the jobs out of the queue and tells the others. */
    void claimed(List<Job> claimed) {
        drain.departed(claimed.size());
        claimed.forEach(job -> notifications.announce(job.id(), false));
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * One statement for all of them: each row still running at its version under this
     * instance's lease goes back to queued (lease cleared, attempt not counted, due now), in id
     * order; the other instances are woken.
     */
    @Override
    public int release(Collection<Job> claimed, Instant now) {
        Objects.requireNonNull(claimed, "claimed");
        if (claimed.isEmpty()) {
            return 0;
        }
        List<Job> sorted = new ArrayList<>(claimed);
        sorted.sort(Comparator.comparing(job -> job.id().value()));
        String statement = "UPDATE accepted_jobs j SET status = 'queued', version = j.version + 1, "
                + "attempt = GREATEST(j.attempt - 1, 0), progress_percent = 0, progress_message = '', "
                + "cancel_requested = false, started_at = NULL, updated_at = ?, run_after = ?, lease_owner = NULL, "
                + "lease_expires_at = NULL FROM unnest(?::text[], ?::bigint[]) AS r(id, version) "
                + "WHERE j.id = r.id AND j.version = r.version AND j.status = 'running' AND j.lease_owner = ? "
                + "RETURNING j.id";
        return sql("release claimed jobs", c -> {
            try (PreparedStatement s = c.prepareStatement(statement)) {
                JobRows.setTimestamp(s, 1, now);
                JobRows.setTimestamp(s, 2, now);
                s.setArray(
                        3,
                        c.createArrayOf(
                                "text",
                                sorted.stream().map(job -> job.id().value()).toArray()));
                s.setArray(
                        4,
                        c.createArrayOf(
                                "bigint", sorted.stream().map(Job::version).toArray()));
                s.setString(5, instanceId);
                int released = 0;
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        notifications.announce(new JobId(rows.getString(1)), true);
                        released++;
                    }
                }
                return released;
            }
        });
    }

    @Override
    public boolean delete(Job current) {
        Objects.requireNonNull(current, "current");
        return sql("delete a job", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM accepted_jobs WHERE id = ? AND version = ?")) {
                s.setString(1, current.id().value());
                s.setLong(2, current.version());
                if (s.executeUpdate() == 0) {
                    return false;
                }
                if (current.status() == JobStatus.QUEUED) {
                    drain.departed(1);
                }
                notifications.announce(current.id(), false);
                return true;
            }
        });
    }

    @Override
    public Page list(ListQuery query) {
        String columns = query.fetch().all() ? JobRows.COLUMNS : JobRows.columns(query.fetch());
        StringBuilder statement = new StringBuilder("SELECT " + columns + " FROM accepted_jobs WHERE owner = ?");
        if (!query.statuses().isEmpty()) {
            statement.append(" AND status = ANY (?)");
        }
        if (query.after().isPresent()) {
            statement.append(" AND (created_at, id) < (?, ?)");
        }
        statement.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        List<Job> found = sql("list jobs", c -> {
            try (PreparedStatement s = c.prepareStatement(statement.toString())) {
                int i = 1;
                s.setString(i++, query.owner());
                if (!query.statuses().isEmpty()) {
                    Array statuses = c.createArrayOf(
                            "text",
                            query.statuses().stream().map(JobStatus::wireName).toArray());
                    s.setArray(i++, statuses);
                }
                if (query.after().isPresent()) {
                    JobRows.setTimestamp(s, i++, query.after().get().createdAt());
                    s.setString(i++, query.after().get().id().value());
                }
                s.setInt(i, query.limit() + 1);
                List<Job> jobs = new ArrayList<>();
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        jobs.add(JobRows.read(rows));
                    }
                }
                return jobs;
            }
        });
        return Page.fromOverfetch(found, query.limit());
    }

    /**
     * Removes expired jobs in batches of 1,000 rows, at most {@value #MAX_PURGED_PER_CALL} per
     * call: a large backlog of expired rows is worked off over several scheduled purges instead
     * of holding the purge thread (and a connection) for as long as it takes.
     */
    @Override
    public int purgeExpired(Instant now) {
        int purged = 0;
        while (purged < MAX_PURGED_PER_CALL) {
            int batch = sql("purge expired jobs", c -> {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM accepted_jobs WHERE id IN ("
                        + "SELECT id FROM accepted_jobs WHERE expires_at <= ? LIMIT " + PURGE_BATCH + ")")) {
                    JobRows.setTimestamp(s, 1, now);
                    return s.executeUpdate();
                }
            });
            purged += batch;
            if (batch < PURGE_BATCH) {
                break;
            }
        }
        return purged;
    }

    @Override
    public Optional<Duration> leaseTimeout() {
        return Optional.of(leaseTimeout);
    }

    @Override
    public Heartbeat heartbeat(Collection<Job> running, Instant now) {
        if (running.isEmpty()) {
            return Heartbeat.NONE;
        }
        Map<JobId, Integer> attempts = new HashMap<>();
        running.forEach(job -> attempts.put(job.id(), job.attempt()));
        return sql("renew leases", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE accepted_jobs SET lease_expires_at = ? "
                            + "WHERE id = ANY (?) AND status = 'running' AND lease_owner = ? RETURNING id, attempt, cancel_requested")) {
                JobRows.setTimestamp(s, 1, now.plus(leaseTimeout));
                s.setArray(
                        2,
                        c.createArrayOf(
                                "text",
                                attempts.keySet().stream().map(JobId::value).toArray()));
                s.setString(3, instanceId);
                Set<JobId> held = new HashSet<>();
                Set<JobId> cancel = new HashSet<>();
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        JobId id = new JobId(rows.getString("id"));
                        if (Objects.equals(attempts.get(id), rows.getInt("attempt"))) {
                            held.add(id);
                            if (rows.getBoolean("cancel_requested")) {
                                cancel.add(id);
                            }
                        }
                    }
                }
                Set<JobId> lost = new HashSet<>(attempts.keySet());
                lost.removeAll(held);
                return new Heartbeat(cancel, lost);
            }
        });
    }

    /**
     * Running jobs whose lease expired by {@code now}, or whose instance is gone (with liveness:
     * it took its lock on this server and no session holds it now); one statement.
     */
    @Override
    public List<Job> expiredLeases(Instant now, int limit) {
        return sql("find expired leases", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + JobRows.COLUMNS + " FROM accepted_jobs "
                    + "WHERE status = 'running' AND (lease_expires_at < ?" + liveness.orOwnerGone() + ") "
                    + "ORDER BY lease_expires_at LIMIT ?")) {
                JobRows.setTimestamp(s, 1, now);
                s.setInt(liveness.bind(s, 2), limit);
                List<Job> jobs = new ArrayList<>();
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        jobs.add(JobRows.read(rows));
                    }
                }
                return jobs;
            }
        });
    }

    /**
     * How often the engine looks for jobs to take back: {@link #DEFAULT_RECOVERY_INTERVAL} with
     * liveness on (each look is one statement over the running jobs and {@code pg_locks}), a
     * quarter of the lease without it.
     */
    @Override
    public Optional<Duration> recoveryInterval() {
        return Optional.of(recoveryInterval);
    }

    /** Called when another instance closes and says it left (a killed one cannot: the recovery interval covers it). */
    @Override
    public void onInstanceLost(Runnable recover) {
        liveness.onInstanceLost(recover);
    }

    @Override
    public void onWork(Runnable wakeUp) {
        notifications.onWork(wakeUp);
    }

    @Override
    public void onChange(Consumer<JobId> listener) {
        notifications.onChange(listener);
    }

    @Override
    public void onChangeElsewhere(Consumer<JobId> listener) {
        notifications.onChangeElsewhere(listener);
    }

    @Override
    public boolean durable() {
        return true;
    }

    /**
     * Releases this instance's liveness lock (saying it left), sends the notifications still
     * pending and stops listening. The data source stays open: it is the application's.
     */
    @Override
    public void close() {
        submits.commits().awaitIdle(CLOSE_FLUSH_MILLIS);
        outcomes.commits().awaitIdle(CLOSE_FLUSH_MILLIS);
        outcomes.close();
        liveness.close();
        notifications.close();
    }

    /** Batches of new jobs written so far (for tests). */
    long submitFlushes() {
        return submits.commits().flushes();
    }

    /** New jobs waiting to be written, or being written, now (for tests). */
    int bufferedSubmits() {
        return submits.commits().buffered();
    }

    /** Batches of changes written so far (for tests). */
    long changeFlushes() {
        return outcomes.commits().flushes();
    }

    /** Changes waiting to be written, or being written, now (for tests). */
    int bufferedChanges() {
        return outcomes.commits().buffered();
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
            throw SqlFailures.translate("could not " + what, e);
        }
    }

    /** Configures a {@link PostgresJobStore}. Each setting may be given once. Not thread-safe. */
    public static final class Builder {

        private final DataSource dataSource;
        private Duration leaseTimeout = DEFAULT_LEASE_TIMEOUT;
        private int maxQueued = JobStore.DEFAULT_MAX_QUEUED;
        private int maxRetained = Integer.MAX_VALUE;
        private @Nullable Integer maxQueuedPerOwner;
        private boolean createSchema = true;
        private boolean listen = true;
        private @Nullable String instanceId;
        private boolean liveness = true;
        private @Nullable Duration recoveryInterval;
        private final SetOnce given = new SetOnce();

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * How long a claimed job is held without a heartbeat (renewed every third of it) before
         * another instance takes it back. Default: 10 s.
         */
        public Builder leaseTimeout(Duration value) {
            once("leaseTimeout");
            Objects.requireNonNull(value, "leaseTimeout");
            if (value.toMillis() < 30) {
                throw new IllegalArgumentException("leaseTimeout must be at least 30 ms");
            }
            leaseTimeout = value;
            return this;
        }

        /** At most this many queued jobs, across all instances. Default: 10,000. */
        public Builder maxQueued(int value) {
            once("maxQueued");
            if (value < 1) {
                throw new IllegalArgumentException("maxQueued must be at least 1");
            }
            maxQueued = value;
            return this;
        }

        /**
         * At most this many queued jobs of one owner, across all instances, so that one owner
         * cannot fill the queue for everyone: past it, a submit of that owner is refused with
         * {@link RejectedJobException.Reason#OWNER_QUEUE_FULL} ({@code 429}) while other owners
         * still submit. Anonymous jobs are not counted per owner ({@code maxQueued} bounds them).
         * Counted on every submit of an owner. Default:
         * {@value JobStore#DEFAULT_MAX_QUEUED_PER_OWNER}, or {@code maxQueued} if lower.
         */
        public Builder maxQueuedPerOwner(int value) {
            once("maxQueuedPerOwner");
            if (value < 1) {
                throw new IllegalArgumentException("maxQueuedPerOwner must be at least 1");
            }
            maxQueuedPerOwner = value;
            return this;
        }

        /**
         * At most this many job records of any state (a {@code count(*)} per submit: keep it off
         * for large tables). Default: unbounded, the database being the bound.
         */
        public Builder maxRetained(int value) {
            once("maxRetained");
            if (value < 1) {
                throw new IllegalArgumentException("maxRetained must be at least 1");
            }
            maxRetained = value;
            return this;
        }

        /**
         * Whether the store creates or migrates its schema at start (default), or only checks
         * that a DBA applied the scripts.
         */
        public Builder createSchema(boolean value) {
            once("createSchema");
            createSchema = value;
            return this;
        }

        /**
         * Whether to LISTEN for notifications (wake-ups and changes from other instances).
         * Default: true; without it, this instance relies on polling for what other instances
         * do. It still notifies them of its own changes.
         */
        public Builder listen(boolean value) {
            once("listen");
            listen = value;
            return this;
        }

        /**
         * Whether this instance holds a session-level advisory lock while it runs, so that when
         * PostgreSQL ends its session (its process died) the other instances take its jobs back
         * at once instead of when their lease runs out. Default: true. Set it to false where a
         * connection is not a session of its own, as through PgBouncer in transaction mode: the
         * lease alone then decides, and other instances never take this one for dead. The store
         * also turns it off by itself, with an error in the log, if it sees its lock held by
         * another session than its own. See docs/postgres.md, "Liveness".
         */
        public Builder liveness(boolean value) {
            once("liveness");
            liveness = value;
            return this;
        }

        /**
         * How often the engine looks for jobs to take back (from instances that are gone, or
         * whose leases ran out). Default: {@link PostgresJobStore#DEFAULT_RECOVERY_INTERVAL} (250 ms) with
         * liveness on, a quarter of the lease without it. At least 10 ms.
         */
        public Builder recoveryInterval(Duration value) {
            once("recoveryInterval");
            Objects.requireNonNull(value, "recoveryInterval");
            if (value.toMillis() < 10) {
                throw new IllegalArgumentException("recoveryInterval must be at least 10 ms");
            }
            recoveryInterval = value;
            return this;
        }

        /**
         * This instance's name in leases, and its identity for liveness: unique among the
         * instances running at one time. Default: the JVM's name and a random suffix.
         */
        public Builder instanceId(String value) {
            once("instanceId");
            instanceId = Objects.requireNonNull(value, "instanceId");
            return this;
        }

        /**
         * Builds the store, creating or checking the schema.
         *
         * @throws StoreUnavailableException if the database cannot be reached
         * @throws StoreFailureException     if a script fails for another reason (a conflicting table, say)
         * @throws IllegalStateException     if the schema is missing or old and may not be created
         */
        public PostgresJobStore build() {
            return new PostgresJobStore(this);
        }

        private void once(String name) {
            given.mark(name);
        }
    }
}
