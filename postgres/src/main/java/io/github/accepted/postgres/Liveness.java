package io.github.accepted.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's liveness as PostgreSQL sees it, and the other instances'.
 *
 * <p>While it runs, the instance holds a session-level advisory lock, key ({@link #NAMESPACE},
 * its {@code lock_key} in {@code accepted_instances}), on a connection of its own. When its
 * process dies, the kernel closes the socket, the server ends the session and the lock is gone:
 * {@link #GONE} then lists it, and its running jobs may be taken back at once instead of when
 * their lease runs out. The lock is read from {@code pg_locks}, which takes no lock (testing a
 * key with {@code pg_try_advisory_lock} would take a dead instance's lock).
 *
 * <p>Only instances that took their lock on the running server count as gone: after a database
 * restart or failover every instance is unknown until it locks again, and the lease decides.
 * Instances with liveness off (or an older version of this library) are not in the table, and
 * are never taken for dead either.
 *
 * <p>The connection also LISTENs on {@link #CHANNEL}, where an instance closing normally says it
 * left, so that the others take back what it left behind at once. If the connection drops, this
 * instance locks again, under the same identity, as soon as it can; jobs taken meanwhile are
 * fenced by the compare-and-set on their version and attempt (docs/postgres.md).
 */
final class Liveness implements AutoCloseable {

    /** The advisory lock's classid ("Accp"): {@code pg_locks} rows with it are instances. */
    static final int NAMESPACE = 0x41636370;
    /** Where an instance that closes says it left; the payload is its id. */
    static final String CHANNEL = "accepted_instances";

    /**
     * Instances that are gone: took their lock on this server and no longer hold it. One
     * parameter: this instance's id (never gone to itself). {@code pg_locks} is read once per
     * statement.
     */
    static final String GONE = "SELECT i.instance_id FROM accepted_instances i "
            + "WHERE i.server_started_at = pg_postmaster_start_time() AND i.instance_id <> ? "
            + "AND i.lock_key::oid NOT IN (SELECT l.objid FROM pg_locks l WHERE l.locktype = 'advisory' "
            + "AND l.classid = " + NAMESPACE + "::oid AND l.objsubid = 2 AND l.granted "
            + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))";

    /** How often the lock's connection checks that its session still holds the lock. */
    private static final long SELF_CHECK_MILLIS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(Liveness.class);

    private final DataSource dataSource;
    private final String instanceId;
    private final boolean enabled;
    private final List<Runnable> lostListeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstLock = new CountDownLatch(1);
    private final @Nullable Thread thread; // null when off
    private volatile boolean running = true;
    private volatile boolean held;
    private volatile @Nullable Statement waiting;

    private Liveness(DataSource dataSource, String instanceId, boolean enabled) {
        this.dataSource = dataSource;
        this.instanceId = instanceId;
        this.enabled = enabled;
        this.thread = enabled ? new Thread(this::run, "accepted-liveness-" + instanceId) : null;
    }

    /** Liveness off: leases alone decide. */
    @SuppressWarnings("NullAway") // the off instance has no database: it never reads dataSource or instanceId
    static Liveness off() {
        return new Liveness(null, null, false);
    }

    /**
     * Registers this instance and takes its lock, waiting up to {@code wait} for it before the
     * store is used; past it, keeps trying in the background (its jobs are recovered by their
     * lease only until then).
     */
    static Liveness start(DataSource dataSource, String instanceId, long waitMillis) {
        Liveness liveness = new Liveness(dataSource, instanceId, true);
        Thread thread = Objects.requireNonNull(liveness.thread, "thread"); // enabled: it has one
        thread.setDaemon(true);
        thread.start();
        try {
            if (!liveness.firstLock.await(waitMillis, TimeUnit.MILLISECONDS)) {
                LOG.warn(
                        "instance {} does not hold its liveness lock yet (another session holds it, or the database "
                                + "refuses); until it does, its jobs are recovered by their lease only",
                        instanceId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return liveness;
    }

    boolean enabled() {
        return enabled;
    }

    /** Whether this instance holds its lock now. */
    boolean held() {
        return held;
    }

    /** Calls {@code recover} when another instance says it left. */
    void onInstanceLost(Runnable recover) {
        if (enabled) {
            lostListeners.add(recover);
        }
    }

    /**
     * {@code " OR lease_owner IN (…gone…)"} to add to a condition on running jobs, or nothing
     * when liveness is off; bind its parameter with {@link #bind}.
     */
    String orOwnerGone() {
        return enabled ? " OR lease_owner IN (" + GONE + ")" : "";
    }

    /** Binds the parameter of {@link #orOwnerGone()} at {@code index}; returns the next index. */
    int bind(PreparedStatement statement, int index) throws SQLException {
        if (!enabled) {
            return index;
        }
        statement.setString(index, instanceId);
        return index + 1;
    }

    private void run() {
        long backoff = 50;
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                int key = register(c);
                lock(c, key);
                backoff = 50;
                if (!watch(c, key)) {
                    return; // closing, or this connection cannot hold a session lock
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warn(
                            "instance {} lost its liveness lock; taking it again in {} ms (other instances may take "
                                    + "back its jobs meanwhile; what it then writes for them is dropped)",
                            instanceId,
                            backoff,
                            e);
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, 1_000);
                }
            } finally {
                held = false;
            }
        }
    }

    /** This instance's row (its key for life), after removing rows of long-gone instances. */
    private int register(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM accepted_instances i WHERE i.registered_at < now() - interval '1 hour' "
                    + "AND NOT EXISTS (SELECT 1 FROM accepted_jobs j WHERE j.status = 'running' "
                    + "AND j.lease_owner = i.instance_id) AND i.lock_key::oid NOT IN (SELECT l.objid FROM pg_locks l "
                    + "WHERE l.locktype = 'advisory' AND l.classid = " + NAMESPACE + "::oid AND l.objsubid = 2)");
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO accepted_instances (instance_id, lock_key) "
                + "VALUES (?, nextval('accepted_instance_keys')) ON CONFLICT (instance_id) DO UPDATE "
                + "SET registered_at = now() RETURNING lock_key")) {
            s.setString(1, instanceId);
            try (ResultSet row = s.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    /**
     * Takes the lock, waiting for it if another session holds it: a previous process with this
     * id whose session the server has not ended yet hands it over without a gap.
     */
    private void lock(Connection c, int key) throws SQLException {
        try (Statement s = c.createStatement()) {
            waiting = s;
            try {
                s.execute("SELECT pg_advisory_lock(" + NAMESPACE + ", " + key + ")");
            } finally {
                waiting = null;
            }
            s.execute("LISTEN " + CHANNEL);
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE accepted_instances "
                + "SET server_started_at = pg_postmaster_start_time() WHERE instance_id = ?")) {
            s.setString(1, instanceId);
            s.executeUpdate();
        }
        held = true;
        firstLock.countDown();
        LOG.debug("instance {} holds its liveness lock ({}, {})", instanceId, NAMESPACE, key);
    }

    /**
     * Passes on other instances' leaving, and checks every second that this session still holds
     * the lock. Returns false when it should stop: closing (after leaving), or a session that
     * does not keep its lock (a pooler in transaction mode).
     */
    private boolean watch(Connection c, int key) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long nextCheck = System.nanoTime();
        while (running) {
            PGNotification[] notifications = pg.getNotifications(100);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    if (!notification.getParameter().equals(instanceId)) {
                        lostListeners.forEach(Liveness::quietly);
                    }
                }
            }
            if (System.nanoTime() - nextCheck >= 0) {
                nextCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SELF_CHECK_MILLIS);
                if (!stillHeld(c, key)) {
                    LOG.error(
                            "instance {}: its liveness lock is not held by its own session: the connection is "
                                    + "shared between clients (a pooler in transaction mode?). Liveness is off for this "
                                    + "instance: set liveness(false); its jobs are recovered by their lease",
                            instanceId);
                    leave(c, key, true);
                    return false;
                }
            }
        }
        leave(c, key, false);
        return false;
    }

    private static boolean stillHeld(Connection c, int key) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet row = s.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = pg_backend_pid() "
                        + "AND locktype = 'advisory' AND classid = " + NAMESPACE + "::oid AND objid = " + key
                        + "::oid AND objsubid = 2 AND granted)")) {
            row.next();
            return row.getBoolean(1);
        }
    }

    /**
     * Releases the lock (the connection goes back to the pool) and says this instance left: the
     * others take back at once what it still held. Forgets this instance unless jobs still name
     * it; {@code always}: even then (its jobs are then recovered by their lease).
     */
    private void leave(Connection c, int key, boolean always) {
        held = false;
        try (Statement s = c.createStatement()) {
            s.execute("UNLISTEN " + CHANNEL);
            s.execute("SELECT pg_advisory_unlock(" + NAMESPACE + ", " + key + ")");
            try (PreparedStatement forget = c.prepareStatement("DELETE FROM accepted_instances WHERE instance_id = ?"
                    + (always
                            ? ""
                            : " AND NOT EXISTS (SELECT 1 FROM accepted_jobs WHERE status = 'running' "
                                    + "AND lease_owner = ?)"))) {
                forget.setString(1, instanceId);
                if (!always) {
                    forget.setString(2, instanceId);
                }
                forget.executeUpdate();
            }
            try (PreparedStatement left = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                left.setString(1, CHANNEL);
                left.setString(2, instanceId);
                left.executeQuery().close();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("instance {} could not say it left (its session ends anyway)", instanceId, e);
        }
    }

    private static void quietly(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            LOG.warn("an instance-lost listener failed", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Releases the lock and says this instance left; waits at most a few seconds. */
    @Override
    public void close() {
        if (!enabled) {
            return;
        }
        running = false;
        try {
            Statement s = waiting;
            if (s != null) { // waiting for a lock another session holds: give up
                s.cancel();
            }
            Objects.requireNonNull(thread, "thread").join(3_000); // enabled: it has one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            LOG.debug("cancelling the wait for the liveness lock", e);
        }
    }
}
