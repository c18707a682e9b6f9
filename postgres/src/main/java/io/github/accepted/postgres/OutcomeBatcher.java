package io.github.accepted.postgres;

import io.github.accepted.Job;
import io.github.accepted.JobStatus;
import io.github.accepted.spi.ClaimDemand;
import io.github.accepted.spi.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGStatement;

/**
 * Group commit of job changes ({@code replace}: outcomes, progress, metadata, cancellations):
 * concurrent changes on one store are written in one {@code UPDATE … FROM unnest(…) WHERE id = …
 * AND version = … RETURNING id} and one commit (a lone one in a plain single-row
 * {@code UPDATE}). Each row stays a compare-and-set on its version: a row that does not come
 * back lost it, and its caller gets {@code false} (and re-reads, as before). The batched
 * statement is planned anew on each flush (not kept as a server-side prepared statement): a
 * plan kept from the first flushes, made while the table was small, joined by a scan of the
 * whole table once it had grown (6 ms a flush in a benchmark run, against 0.4 ms for a
 * single-row update). Every caller returns
 * once its own change committed; notifications follow the commit. Two changes of one job never
 * share a statement: the later waits for the next flush, where its version decides; but a
 * change queued without waiting ({@link #replaceAsync}) that chains on a waiting one (its
 * {@code current} is that one's {@code next}: progress reported in a burst, then the outcome)
 * joins that one's row, so a burst costs one row a flush and the latest value wins.
 *
 * <p>A batch that fails for another reason than a moment's unavailability is written again row by
 * row, so that one bad row fails alone. One that fails for a moment's unavailability is written
 * again after a backoff; since the first try may have committed before its answer was lost, a
 * row found on a later try at the new version, status and update time is taken as written.
 */
final class OutcomeBatcher {

    /** At most this many rows per {@code UPDATE}. */
    static final int MAX_BATCH = 256;
    /** At most this many {@code UPDATE}s of one store in flight at once, each on its own connection. */
    static final int MAX_IN_FLIGHT = 2;
    /** At most this many changes waiting for a flush; past it a change waits for room. */
    static final int MAX_PENDING = 4096;
    /** At most this many jobs whose last change lost are remembered ({@link #chainedOnLost}). */
    static final int MAX_LOST = 4096;

    static final String UPDATE_ONE = "UPDATE accepted_jobs SET " + JobRows.MUTABLE_ASSIGNMENTS
            + ", run_after = CASE WHEN ? = 'queued' THEN ? ELSE run_after END"
            + ", lease_owner = CASE WHEN ? = 'running' THEN lease_owner END"
            + ", lease_expires_at = CASE WHEN ? = 'running' THEN lease_expires_at END"
            + " WHERE id = ? AND version = ?";
    static final String UPDATE_MANY = "UPDATE accepted_jobs j SET status = u.status, version = u.version, "
            + "attempt = u.attempt, progress_percent = u.progress_percent, progress_message = u.progress_message, "
            + "metadata = u.metadata, result_type = u.result_type, result = u.result, error_type = u.error_type, "
            + "error_title = u.error_title, error_status = u.error_status, error_detail = u.error_detail, "
            + "cancel_requested = u.cancel_requested, updated_at = " + PgTimestamps.fromMicros("u.updated_at")
            + ", started_at = " + PgTimestamps.fromMicros("u.started_at")
            + ", finished_at = " + PgTimestamps.fromMicros("u.finished_at")
            + ", expires_at = " + PgTimestamps.fromMicros("u.expires_at")
            + ", run_after = CASE WHEN u.status = 'queued' THEN " + PgTimestamps.fromMicros("u.updated_at")
            + " ELSE j.run_after END, "
            + "lease_owner = CASE WHEN u.status = 'running' THEN j.lease_owner END, "
            + "lease_expires_at = CASE WHEN u.status = 'running' THEN j.lease_expires_at END "
            + "FROM unnest(?::text[], ?::int8[], " + MutableColumnArrays.TYPES + ") AS u(id, expected, status, "
            + "version, attempt, progress_percent, progress_message, metadata, result_type, result, error_type, "
            + "error_title, error_status, error_detail, cancel_requested, updated_at, started_at, finished_at, "
            + "expires_at) WHERE j.id = u.id COLLATE \"C\" AND j.version = u.expected RETURNING j.id";

    /** One change to write, and whether it won its compare-and-set. */
    static final class Change extends GroupCommit.Entry {
        final Job current;
        /** Moves on when a later change chained on it is {@linkplain #absorb absorbed} (under the lock). */
        Job next;

        boolean replaced;
        /** Completed after the write, for a change nobody waits for ({@link #replaceAsync}). */
        final @Nullable CompletableFuture<Boolean> written;

        Change(Job current, Job next, @Nullable CompletableFuture<Boolean> written) {
            this.current = current;
            this.next = next;
            this.written = written;
        }

        @Override
        void written() {
            CompletableFuture<Boolean> future = written;
            if (future == null) {
                return;
            }
            RuntimeException failed = failure;
            if (failed != null) {
                future.completeExceptionally(failed);
            } else {
                future.complete(replaced);
            }
        }

        @Override
        String key() {
            return next.id().value();
        }

        /**
         * A change queued without waiting whose {@code current} is exactly this one's
         * {@code next} (progress reported again, or the outcome after it) is written in this
         * row: latest value wins, one row written for both. Only between changes nobody blocks
         * on, whose callers keep the newest version themselves.
         */
        @Override
        @SuppressWarnings("ReferenceEquality") // identity on purpose: exactly the change this one wrote
        boolean absorb(GroupCommit.Entry later) {
            if (written == null || !(later instanceof Change change) || change.written == null) {
                return false;
            }
            if (change.current != next) {
                return false;
            }
            next = change.next;
            return true;
        }

        @Override
        void writtenIn(GroupCommit.Entry row) {
            super.writtenIn(row);
            replaced = ((Change) row).replaced;
        }
    }

    /** At most this many jobs claimed with one flush ({@link ClaimDemand}). */
    static final int MAX_CLAIMED = 64;

    /** Claims in a flush's transaction: {@link PostgresJobStore#claimIn} and {@link PostgresJobStore#claimed}. */
    interface Claimer {
        List<Job> claimIn(Connection c, Instant now, int max, Set<String> types) throws SQLException;

        void claimed(List<Job> jobs);
    }

    private static final ClaimDemand NO_DEMAND = new ClaimDemand() {
        @Override
        public Set<String> types() {
            return Set.of();
        }

        @Override
        public int wanted() {
            return 0;
        }

        @Override
        public int reserve(int max) {
            return 0;
        }

        @Override
        public void claimed(List<Job> jobs, int reserved) {}

        @Override
        public void failed(int reserved) {}
    };
    private static final Claimer NO_CLAIMS = new Claimer() {
        @Override
        public List<Job> claimIn(Connection c, Instant now, int max, Set<String> types) {
            return List.of();
        }

        @Override
        public void claimed(List<Job> jobs) {}
    };

    private final DataSource dataSource;
    private final Consumer<Change> committed;
    private volatile @Nullable ClaimDemand demand;
    private volatile @Nullable Claimer claimer;
    private final AtomicLong claimedWithFlushes = new AtomicLong();
    private final GroupCommit<Change> commits;
    private final ThreadPoolExecutor flushers;
    /**
     * Per job, the version its last change tried to write and lost (guarded by itself): a change
     * chained on it loses too ({@link #chainedOnLost}). Taken out when a change of the job wins,
     * or one chains on another version; at most {@link #MAX_LOST} kept (the oldest go first: a
     * job whose attempt was taken over elsewhere has no further change here).
     */
    private final Map<String, Job> lostNext = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Job> eldest) {
            return size() > MAX_LOST;
        }
    };

    /** {@code committed} is told of each change that won, after its commit. */
    OutcomeBatcher(DataSource dataSource, Consumer<Change> committed) {
        this.dataSource = dataSource;
        this.committed = committed;
        AtomicInteger count = new AtomicInteger();
        // at most MAX_IN_FLIGHT flusher tasks exist at once (GroupCommit counts them): the queue stays short
        this.flushers = new ThreadPoolExecutor(
                MAX_IN_FLIGHT, MAX_IN_FLIGHT, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "accepted-pg-outcomes-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.flushers.allowCoreThreadTimeOut(true);
        this.commits = new GroupCommit<>("job changes", MAX_BATCH, MAX_IN_FLIGHT, MAX_PENDING, this::write, flushers);
    }

    /** Writes the change with whatever else is being changed; returns whether it won its compare-and-set. */
    boolean replace(Job current, Job next) {
        Change change = new Change(current, next, null);
        commits.write(change, null);
        return change.replaced;
    }

    /**
     * Queues the change for the next flush and returns at once (waiting only while
     * {@link #MAX_PENDING} changes wait already); the future completes on a flusher thread after
     * the commit, with whether the change won its compare-and-set, or with what it failed with
     * once the retries are spent.
     */
    CompletableFuture<Boolean> replaceAsync(Job current, Job next) {
        CompletableFuture<Boolean> written = new CompletableFuture<>();
        commits.enqueue(new Change(current, next, written));
        return written;
    }

    /** Stops the flusher threads once idle (after {@code commits().awaitIdle}). */
    void close() {
        flushers.shutdown();
    }

    /** From now on each flush first asks {@code demand} for room and claims that many jobs in its transaction. */
    void claimWith(ClaimDemand demand, Claimer claimer) {
        this.claimer = claimer;
        this.demand = demand;
    }

    /** Jobs claimed in flushes of outcomes so far. */
    long claimedWithFlushes() {
        return claimedWithFlushes.get();
    }

    GroupCommit<Change> commits() {
        return commits;
    }

    private void write(List<Change> changes) {
        List<Change> batch = new ArrayList<>(changes.size());
        for (Change change : changes) {
            if (!chainedOnLost(change)) {
                batch.add(change);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        batch.sort(Comparator.comparing(Change::key)); // batches lock rows in one order: no deadlock between them
        ClaimDemand wish = demand;
        boolean claim = wish != null && wish.wanted() > 0;
        List<Change> together = new ArrayList<>(batch.size());
        for (Change change : batch) {
            if (MutableColumnArrays.fits(change.next)) {
                together.add(change);
            } else {
                writeRows(List.of(change), false, false); // an instant the batch cannot bind: alone, plain UPDATE
            }
        }
        if (!together.isEmpty()) {
            writeRows(together, false, claim);
        }
    }

    /**
     * Writes {@code changes} in one transaction; with {@code claim}, also claims jobs in it for
     * the room the engine reserves once the {@code UPDATE} is done (its rows are locked in id
     * order first, and the claim skips locked rows, so no deadlock), on the first try only.
     */
    private void writeRows(List<Change> changes, boolean maybeWritten, boolean claim) {
        ClaimDemand wish = demand;
        Claimer claimIn = claimer;
        if (wish == null || claimIn == null) {
            wish = NO_DEMAND;
            claimIn = NO_CLAIMS;
        }
        boolean claiming = claim;
        long backoff = 10;
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                boolean transaction = claiming;
                claiming = false; // the first try only
                if (c.getAutoCommit() == transaction) {
                    c.setAutoCommit(!transaction);
                }
                Set<String> replaced;
                int room = 0;
                List<Job> claimedJobs = List.of();
                try {
                    replaced = changes.size() == 1 ? updateOne(c, changes.get(0)) : updateMany(c, changes);
                    if (transaction) {
                        room = wish.reserve(MAX_CLAIMED);
                        if (room > 0) {
                            claimedJobs = claimIn.claimIn(c, Instant.now(), room, wish.types());
                        }
                        c.commit();
                    }
                } catch (SQLException | RuntimeException e) {
                    if (transaction) {
                        try {
                            c.rollback();
                        } catch (SQLException rollback) {
                            e.addSuppressed(rollback);
                        }
                        if (room > 0) {
                            wish.failed(room);
                        }
                    }
                    throw e;
                }
                if (room > 0) {
                    claimedWithFlushes.addAndGet(claimedJobs.size());
                    claimIn.claimed(claimedJobs);
                    wish.claimed(claimedJobs, room);
                }
                List<Change> missing = new ArrayList<>();
                for (Change change : changes) {
                    change.replaced = replaced.contains(change.key());
                    if (!change.replaced) {
                        missing.add(change);
                    }
                }
                if ((maybeWritten || attempt > 1) && !missing.isEmpty()) {
                    writtenBefore(c, missing);
                }
                break;
            } catch (SQLException e) {
                changes.forEach(change -> {
                    change.replaced = false;
                    change.clearFailure();
                });
                if (!SqlFailures.isTransient(e)) {
                    if (changes.size() > 1) {
                        for (Change change : changes) {
                            writeRows(List.of(change), maybeWritten || attempt > 1, false);
                        }
                        return;
                    }
                    changes.get(0).fail(SqlFailures.translate("could not change a job", e));
                    settled(changes);
                    return;
                }
                if (attempt >= SubmitBatcher.MAX_ATTEMPTS) {
                    StoreUnavailableException failure = new StoreUnavailableException("could not change a job", e);
                    changes.forEach(change -> change.fail(failure));
                    settled(changes);
                    return;
                }
                SubmitBatcher.sleep(backoff);
                backoff *= 2;
            }
        }
        settled(changes);
        for (Change change : changes) {
            if (change.replaced) {
                committed.accept(change);
            }
        }
    }

    /**
     * Whether {@code change} chains on a version that was never written: its {@code current} is
     * exactly the {@code next} of the last change of its job, which lost (or failed). Such a
     * change loses without being written: its expected version may since have been reached by
     * another change, which it must not overwrite. (Changes of one job are written one after
     * the other, so the last one's outcome is known.)
     */
    @SuppressWarnings("ReferenceEquality") // identity on purpose: the very version that lost, not an equal one
    private boolean chainedOnLost(Change change) {
        String id = change.key();
        synchronized (lostNext) {
            Job lost = lostNext.get(id);
            if (lost == null) {
                return false;
            }
            if (lost != change.current) {
                lostNext.remove(id); // chained on a version read anew
                return false;
            }
            lostNext.put(id, change.next); // what chains on this one is lost as well
        }
        change.replaced = false;
        return true;
    }

    /** Remembers the version each change left its job at: lost, for what chains on it ({@link #chainedOnLost}). */
    private void settled(List<Change> changes) {
        synchronized (lostNext) {
            for (Change change : changes) {
                if (change.replaced && change.failure == null) {
                    lostNext.remove(change.key());
                } else {
                    lostNext.put(change.key(), change.next);
                }
            }
        }
    }

    /** Marks as replaced the changes an earlier, failed try committed: the row has their version, status and time. */
    private static void writtenBefore(Connection c, List<Change> missing) throws SQLException {
        Map<String, Change> byId = new HashMap<>();
        missing.forEach(change -> byId.put(change.key(), change));
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, version, status, "
                        + "(extract(epoch FROM updated_at) * 1000000)::bigint AS updated_us FROM accepted_jobs WHERE id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", byId.keySet().toArray()));
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    Change change = byId.get(rows.getString(1));
                    if (change == null) {
                        continue; // not asked for: cannot happen
                    }
                    Job next = change.next;
                    Instant updated = next.updatedAt();
                    long micros = Math.multiplyExact(updated.getEpochSecond(), 1_000_000L) + updated.getNano() / 1_000;
                    change.replaced = rows.getLong(2) == next.version()
                            && next.status().wireName().equals(rows.getString(3))
                            && Math.abs(rows.getLong(4) - micros) <= 1;
                }
            }
        }
    }

    private static Set<String> updateOne(Connection c, Change change) throws SQLException {
        Job next = change.next;
        String status = next.status().wireName();
        try (PreparedStatement s = c.prepareStatement(UPDATE_ONE)) {
            int i = JobRows.setMutable(s, 1, next);
            s.setString(i++, status);
            JobRows.setTimestamp(s, i++, next.updatedAt());
            s.setString(i++, status);
            s.setString(i++, status);
            s.setString(i++, change.current.id().value());
            s.setLong(i, change.current.version());
            return s.executeUpdate() == 0 ? Set.of() : Set.of(change.key());
        }
    }

    private static Set<String> updateMany(Connection c, List<Change> changes) throws SQLException {
        int n = changes.size();
        String[] id = new String[n];
        Long[] expected = new Long[n];
        List<Job> next = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            Change change = changes.get(r);
            id[r] = change.next.id().value();
            expected[r] = change.current.version();
            next.add(change.next);
        }
        try (PreparedStatement s = c.prepareStatement(UPDATE_MANY)) {
            s.unwrap(PGStatement.class).setPrepareThreshold(0); // planned with the table as it is now
            s.setArray(1, c.createArrayOf("text", id));
            s.setArray(2, c.createArrayOf("int8", expected));
            new MutableColumnArrays(next).bind(c, s, 3);
            Set<String> replaced = new HashSet<>();
            try (ResultSet returned = s.executeQuery()) {
                while (returned.next()) {
                    replaced.add(returned.getString(1));
                }
            }
            return replaced;
        }
    }

    /** Whether {@code next} leaves the queue (for the drain rate). */
    static boolean leftQueue(Change change) {
        return change.current.status() == JobStatus.QUEUED && change.next.status() != JobStatus.QUEUED;
    }
}
