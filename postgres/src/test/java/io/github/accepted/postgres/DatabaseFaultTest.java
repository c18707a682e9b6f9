package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.Job;
import io.github.accepted.JobHandler;
import io.github.accepted.JobId;
import io.github.accepted.Payload;
import io.github.accepted.internal.JobTransitions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The database drops the application's connections again and again while jobs are claimed,
 * completed and their leases renewed (real faults: {@code pg_terminate_backend} on every one of
 * its sessions). Nothing may be lost, and no job may run twice at the same time.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DatabaseFaultTest {

    record Numbered(int n) {}

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void connectionsKilledDuringClaimsCommitsAndHeartbeats_loseNothing_andNeverRunAJobTwiceAtOnce() throws Exception {
        String database = TestDatabases.newDatabase();
        int jobs = 300;
        Set<Integer> runningNow = ConcurrentHashMap.newKeySet();
        AtomicInteger overlaps = new AtomicInteger();
        Map<Integer, AtomicInteger> executions = new ConcurrentHashMap<>();
        JobHandler<Numbered, Integer> work = (input, context) -> {
            if (!runningNow.add(input.n())) {
                overlaps.incrementAndGet();
            }
            try {
                executions.computeIfAbsent(input.n(), n -> new AtomicInteger()).incrementAndGet();
                Thread.sleep(40);
                return input.n();
            } finally {
                runningNow.remove(input.n());
            }
        };
        DataSource pool = TestDatabases.pool(database, 8);
        try (Instance instance = new Instance(pool, "victim", Duration.ofSeconds(2), 4, "work", Numbered.class, work)) {
            for (int n = 0; n < jobs; n++) {
                instance.accepted.submit("work", "", new Numbered(n));
            }
            int kills = 0;
            try (Connection admin = TestDatabases.server().getPostgresDatabase().getConnection();
                    PreparedStatement kill = admin.prepareStatement("SELECT count(pg_terminate_backend(pid)) "
                            + "FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
                kill.setString(1, database);
                for (int round = 0; round < 12; round++) {
                    Thread.sleep(150);
                    try (ResultSet killed = kill.executeQuery()) {
                        killed.next();
                        kills += killed.getInt(1);
                    }
                }
            }
            assertThat(kills).as("connections terminated").isPositive();

            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(() -> count(pool, "status = 'succeeded'") == jobs);
            System.out.printf(
                    "faults: %d connections terminated; %d jobs all succeeded; %d re-executions%n",
                    kills,
                    jobs,
                    executions.values().stream().mapToInt(AtomicInteger::get).sum() - jobs);
            assertThat(overlaps.get())
                    .as("a job running twice at the same time")
                    .isZero();
            assertThat(executions).hasSize(jobs);
            assertThat(count(pool, "status <> 'succeeded'")).isZero();
        }
    }

    /**
     * Issue 14: the connections are cut while a flush of submits, then one of outcomes, is in the
     * database (held by a table lock, so that the cut falls in the middle). Each flush is written
     * again on a new connection: every caller gets its answer, nothing is lost or written twice.
     */
    @Test
    void connectionsKilledInTheMiddleOfAFlush_theFlushIsWrittenAgain_onceEach() throws Exception {
        String database = TestDatabases.newDatabase();
        DataSource pool = TestDatabases.pool(database, 8);
        int callers = 20;
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        Instant now = Instant.now();
        try (PostgresJobStore store =
                        PostgresJobStore.builder(pool).instanceId("cut").build();
                Connection blocker = DriverManager.getConnection(TestDatabases.jdbcUrl(database), "postgres", "")) {
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                jobs.add(Job.queued(JobId.random(), "work", "", Payload.json("{\"n\":" + i + "}"), now));
            }
            int killed = cutMidFlush(database, blocker, () -> store.bufferedSubmits() == callers, () -> jobs.stream()
                    .map(job ->
                            threads.submit(() -> store.createClaimed(job, now).orElseThrow()))
                    .toList());
            assertThat(killed).as("connections terminated").isPositive();
            assertThat(count(pool, "status = 'running'")).isEqualTo(callers);

            List<Job> running = jobs.stream().map(job -> job.claimed(now)).toList();
            killed = cutMidFlush(database, blocker, () -> store.bufferedChanges() == callers, () -> running.stream()
                    .map(job -> threads.submit(() -> store.replace(
                            job, JobTransitions.succeeded(job, Payload.json("1"), now, Duration.ofHours(1)))))
                    .toList());
            assertThat(killed).as("connections terminated").isPositive();
            assertThat(count(pool, "status = 'succeeded' AND version = 3")).isEqualTo(callers);
            assertThat(count(pool, "true")).isEqualTo(callers);
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * Holds writes with a table lock on {@code blocker}, starts the writes until all are
     * {@code buffered} and two flushes wait for the lock, terminates every other session of the
     * database, waits for the flushes to wait again (written anew), and lets them through; checks
     * that every write answered without a failure. Returns how many sessions were terminated.
     */
    private static int cutMidFlush(
            String database, Connection blocker, Callable<Boolean> buffered, Callable<List<? extends Future<?>>> start)
            throws Exception {
        blocker.setAutoCommit(false);
        try (Statement s = blocker.createStatement()) {
            s.execute("LOCK TABLE accepted_jobs IN EXCLUSIVE MODE");
        }
        List<? extends Future<?>> writes = start.call();
        await().atMost(Duration.ofSeconds(30)).until(buffered);
        await().atMost(Duration.ofSeconds(30)).until(() -> waitingForTheLock(database) == 2);
        int killed;
        try (Connection admin = TestDatabases.server().getPostgresDatabase().getConnection();
                PreparedStatement kill = admin.prepareStatement("SELECT count(pg_terminate_backend(pid)) "
                        + "FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid() AND pid <> ?")) {
            kill.setString(1, database);
            kill.setInt(2, blocker.unwrap(org.postgresql.PGConnection.class).getBackendPID());
            try (ResultSet rows = kill.executeQuery()) {
                rows.next();
                killed = rows.getInt(1);
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> waitingForTheLock(database) == 2); // written again
        blocker.commit();
        for (Future<?> write : writes) {
            assertThat(write.get(30, TimeUnit.SECONDS)).isNotEqualTo(false);
        }
        return killed;
    }

    private static long waitingForTheLock(String database) throws Exception {
        try (Connection admin = TestDatabases.server().getPostgresDatabase().getConnection();
                PreparedStatement s = admin.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity " + "WHERE datname = ? AND wait_event_type = 'Lock'")) {
            s.setString(1, database);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long count(DataSource pool, String where) throws Exception {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT count(*) FROM accepted_jobs WHERE " + where)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
