package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.Payload;
import io.github.accepted.internal.JobTransitions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Liveness from the database: an instance whose session PostgreSQL ended has its jobs taken back
 * at once, long before their lease runs out; every other instance is left alone.
 */
class LivenessTest {

    private static final int GHOST_KEY = 2_000_000_000;

    private final String database = TestDatabases.newDatabase();
    private final DataSource pool = TestDatabases.pool(database, 8);
    private final PostgresJobStore survivor =
            PostgresJobStore.builder(pool).instanceId("survivor").build();

    @AfterEach
    void close() {
        survivor.close();
    }

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void anInstanceWhoseSessionEnded_hasItsJobsTakenBackAtOnce_notWhenTheLeaseRunsOut() throws Exception {
        Instant now = Instant.now();
        try (Connection ghost = session()) {
            int pid = lockAs(ghost, "ghost", GHOST_KEY, "pg_postmaster_start_time()");
            Job job = runningJobOf("ghost", now);
            assertThat(survivor.expiredLeases(now, 10))
                    .as("alive: its session holds its lock")
                    .isEmpty();

            terminate(pid); // what the server does when the instance's process dies
            List<Job> taken = survivor.expiredLeases(now, 10);
            assertThat(taken).extracting(Job::id).containsExactly(job.id());
            assertThat(survivor.reclaim(taken.get(0), JobTransitions.requeued(taken.get(0), now), now, now))
                    .isTrue();
        }
    }

    @Test
    void takingBack_checksAgainThatTheOwnerIsGone_inTheSameStatement() throws Exception {
        Instant now = Instant.now();
        Job taken;
        try (Connection ghost = session()) {
            int pid = lockAs(ghost, "ghost", GHOST_KEY, "pg_postmaster_start_time()");
            runningJobOf("ghost", now);
            terminate(pid);
            taken = survivor.expiredLeases(now, 10).get(0);
        }
        try (Connection back = session()) {
            lockAs(back, "ghost", GHOST_KEY, "pg_postmaster_start_time()"); // it was only a cut: locked again
            assertThat(survivor.reclaim(taken, JobTransitions.requeued(taken, now), now, now))
                    .isFalse();
            assertThat(survivor.expiredLeases(now, 10)).isEmpty();
        }
    }

    @Test
    void anInstanceThatLockedBeforeTheDatabaseRestarted_isUnknown_andLeftToItsLease() throws Exception {
        Instant now = Instant.now();
        try (Connection ghost = session()) {
            int pid = lockAs(ghost, "ghost", GHOST_KEY, "pg_postmaster_start_time() - interval '1 hour'");
            runningJobOf("ghost", now);
            terminate(pid);
            assertThat(survivor.expiredLeases(now, 10)).isEmpty();
            assertThat(survivor.expiredLeases(now.plusSeconds(11), 10))
                    .as("the lease still decides")
                    .hasSize(1);
        }
    }

    @Test
    void anInstanceWithLivenessOff_isNeverTakenForDead() {
        Instant now = Instant.now();
        PostgresJobStore leasesOnly = PostgresJobStore.builder(pool)
                .instanceId("leases-only")
                .liveness(false)
                .build();
        try {
            leasesOnly.create(Job.queued(JobId.random(), "t", "", Payload.json("{}"), now));
            assertThat(leasesOnly.claim(now, 1, java.util.Set.of("t"))).hasSize(1);
            assertThat(survivor.expiredLeases(now, 10)).isEmpty();
            assertThat(leasesOnly.recoveryInterval()).contains(PostgresJobStore.DEFAULT_LEASE_TIMEOUT.dividedBy(4));
        } finally {
            leasesOnly.close();
        }
        assertThat(survivor.expiredLeases(now, 10))
                .as("closed, but it never took part in liveness")
                .isEmpty();
    }

    @Test
    void aClosingInstanceSaysItLeft_andWhatItStillRanIsTakenBackAtOnce() throws Exception {
        Instant now = Instant.now();
        CountDownLatch heard = new CountDownLatch(1);
        survivor.onInstanceLost(heard::countDown);
        PostgresJobStore leaving =
                PostgresJobStore.builder(pool).instanceId("leaving").build();
        leaving.create(Job.queued(JobId.random(), "t", "", Payload.json("{}"), now));
        Job running = leaving.claim(now, 1, java.util.Set.of("t")).get(0);
        assertThat(survivor.expiredLeases(now, 10)).isEmpty();

        leaving.close(); // as if its engine could not queue the job again before closing
        assertThat(heard.await(10, TimeUnit.SECONDS))
                .as("the survivor heard it leave")
                .isTrue();
        assertThat(survivor.expiredLeases(now, 10)).extracting(Job::id).containsExactly(running.id());
    }

    @Test
    void aLiveInstancesJobs_areNotTakenBack_andItsOwnSessionCutIsHealedUnderTheSameIdentity() throws Exception {
        Instant now = Instant.now();
        PostgresJobStore cut = PostgresJobStore.builder(pool).instanceId("cut").build();
        try {
            cut.create(Job.queued(JobId.random(), "t", "", Payload.json("{}"), now));
            cut.claim(now, 1, java.util.Set.of("t"));
            int before = lockHolder("cut");
            assertThat(survivor.expiredLeases(now, 10)).isEmpty();

            terminate(before);
            int after = await().atMost(Duration.ofSeconds(10)).until(() -> lockHolder("cut"), pid -> pid != 0);
            assertThat(after).isNotEqualTo(before);
            assertThat(survivor.expiredLeases(now, 10))
                    .as("locked again: alive")
                    .isEmpty();
        } finally {
            cut.close();
        }
    }

    @Test
    void recoveryInterval_isAQuarterSecondWithLiveness_andConfigurable() {
        assertThat(survivor.recoveryInterval()).contains(Duration.ofMillis(250));
        PostgresJobStore tuned = PostgresJobStore.builder(pool)
                .recoveryInterval(Duration.ofMillis(400))
                .build();
        try {
            assertThat(tuned.recoveryInterval()).contains(Duration.ofMillis(400));
        } finally {
            tuned.close();
        }
        assertThatThrownBy(() -> PostgresJobStore.builder(pool).recoveryInterval(Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresJobStore.builder(pool).liveness(true).liveness(false))
                .isInstanceOf(IllegalStateException.class);
    }

    /** A session of its own, outside the pool: the test ends it. */
    private Connection session() throws Exception {
        return TestDatabases.server().getDatabase("postgres", database).getConnection();
    }

    /** Registers {@code id} with {@code key} and takes its lock on {@code session}; returns the session's pid. */
    private static int lockAs(Connection session, String id, int key, String serverStartedAt) throws Exception {
        try (Statement s = session.createStatement()) {
            s.execute("INSERT INTO accepted_instances (instance_id, lock_key, server_started_at) VALUES ('" + id + "', "
                    + key + ", " + serverStartedAt + ") ON CONFLICT (instance_id) DO NOTHING");
            s.execute("SELECT pg_advisory_lock(" + Liveness.NAMESPACE + ", " + key + ")");
            try (ResultSet row = s.executeQuery("SELECT pg_backend_pid()")) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    /** A job running under {@code owner}'s lease, 10 s long. */
    private Job runningJobOf(String owner, Instant now) throws Exception {
        Job job = Job.queued(JobId.random(), "t", "", Payload.json("{}"), now);
        survivor.create(job);
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "UPDATE accepted_jobs "
                                + "SET status = 'running', version = 2, attempt = 1, lease_owner = ?, lease_expires_at = ? WHERE id = ?")) {
            s.setString(1, owner);
            JobRows.setTimestamp(s, 2, now.plusSeconds(10));
            s.setString(3, job.id().value());
            s.executeUpdate();
        }
        return survivor.find(job.id()).orElseThrow();
    }

    /** The pid of the session holding {@code id}'s liveness lock, 0 if none. */
    private int lockHolder(String id) throws Exception {
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT coalesce(max(l.pid), 0) "
                        + "FROM pg_locks l JOIN accepted_instances i ON l.objid = i.lock_key::oid WHERE l.locktype = 'advisory' "
                        + "AND l.classid = " + Liveness.NAMESPACE
                        + "::oid AND l.objsubid = 2 AND l.granted AND i.instance_id = ?")) {
            s.setString(1, id);
            try (ResultSet row = s.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    private static void terminate(int pid) throws Exception {
        try (Connection admin = TestDatabases.server().getPostgresDatabase().getConnection();
                Statement s = admin.createStatement()) {
            s.execute("SELECT pg_terminate_backend(" + pid + ")");
            // the session is gone once its locks are
            for (int i = 0; i < 200; i++) {
                try (ResultSet row = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)) {
                    row.next();
                    if (row.getInt(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        }
    }
}
