package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.Job;
import io.github.accepted.JobContext;
import io.github.accepted.JobHandler;
import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An instance in a separate JVM, killed (SIGKILL) or suspended (SIGSTOP) in the middle of running
 * jobs, next to a survivor on the same database. Killed: PostgreSQL ends its session, its
 * liveness lock is gone, and the survivor starts its jobs within a second or so, long before
 * their lease runs out. Suspended: its session stays open, so the lease decides; when it resumes,
 * its handlers are told and what they write is dropped.
 *
 * <p>For docs/postgres.md, several kills in a row:
 * {@code mvn -pl postgres -am verify -Dtest=CrashTest -Daccepted.crash.rounds=5 -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrashTest {

    static final String TYPE = "crashy";
    static final int JOBS = 6;
    private static final int ROUNDS = Integer.getInteger("accepted.crash.rounds", 1);

    /** The jobs' input. */
    public record Work(int n) {}

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void jobsOfAKilledInstance_startOnTheSurvivorWithinTwoSeconds_withTheDefaultLeaseAndRecovery() throws Exception {
        String database = TestDatabases.newDatabase();
        DataSource pool = TestDatabases.pool(database, 10);
        Survivor handler = new Survivor(null);
        List<Long> recoveries = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Doomed doomed = new Doomed(
                    database, "doomed-" + round, PostgresJobStore.DEFAULT_LEASE_TIMEOUT, round * JOBS, "block");
            List<String> ids = runningOwnedBy(pool, "doomed-" + round);
            assertThat(ids).hasSize(JOBS);
            // started once the doomed instance runs its jobs, so that it cannot claim one of them first
            try (Instance survivor = new Instance(
                    pool, "survivor", PostgresJobStore.DEFAULT_LEASE_TIMEOUT, JOBS, TYPE, Work.class, handler)) {
                long killed = System.nanoTime();
                doomed.process.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup, leases left behind
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> ids.stream().allMatch(handler.started::containsKey));
                long first = ids.stream().mapToLong(handler.started::get).min().orElseThrow() - killed;
                long last = ids.stream().mapToLong(handler.started::get).max().orElseThrow() - killed;
                recoveries.add(TimeUnit.NANOSECONDS.toMillis(last));
                System.out.printf(
                        "crash round %d: the %d jobs of a SIGKILLed instance started on the survivor %d to %d ms "
                                + "after the kill (lease %d ms, recovery interval %d ms)%n",
                        round + 1,
                        JOBS,
                        TimeUnit.NANOSECONDS.toMillis(first),
                        TimeUnit.NANOSECONDS.toMillis(last),
                        PostgresJobStore.DEFAULT_LEASE_TIMEOUT.toMillis(),
                        survivor.store.recoveryInterval().orElseThrow().toMillis());
                assertThat(doomed.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                long succeeded = (long) JOBS * (round + 1);
                await().atMost(Duration.ofSeconds(30)).until(() -> count(pool, "status = 'succeeded'") == succeeded);
            }
        }
        try (PostgresJobStore store =
                PostgresJobStore.builder(pool).liveness(false).listen(false).build()) {
            recoveries.sort(null);
            System.out.printf(
                    "crash: %d rounds, kill to the last job started on the survivor: p50 %d ms, max %d ms %s%n",
                    ROUNDS,
                    recoveries.get((recoveries.size() - 1) / 2),
                    recoveries.get(recoveries.size() - 1),
                    recoveries);
            assertThat(recoveries.get(recoveries.size() - 1))
                    .as("ms from SIGKILL to every job started elsewhere")
                    .isLessThanOrEqualTo(2_000L);

            for (String id : allIds(pool)) {
                Job job = store.find(new JobId(id)).orElseThrow();
                assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
                assertThat(job.attempt()).as("the lost attempt counts").isEqualTo(2);
                assertThat(job.result().orElseThrow().text()).contains("\"by\":\"survivor\"");
            }
        }
    }

    /**
     * An instance killed with jobs claimed ahead ({@code prefetch}), waiting for its workers:
     * they are its jobs as much as the running ones, so liveness takes them back with those, and
     * the survivor runs all of them, each once, none lost.
     */
    @Test
    void jobsClaimedAheadByAKilledInstance_runOnTheSurvivor_eachOnce() throws Exception {
        String database = TestDatabases.newDatabase();
        DataSource pool = TestDatabases.pool(database, 10);
        Survivor handler = new Survivor(null);
        Doomed doomed = new Doomed(database, "prefetching", PostgresJobStore.DEFAULT_LEASE_TIMEOUT, 0, "prefetch");
        List<String> ids = runningOwnedBy(pool, "prefetching");
        assertThat(ids).as("2 running and 4 claimed ahead, all under its lease").hasSize(JOBS);
        assertThat(count(pool, "status = 'running' AND progress_percent = 10"))
                .as("only 2 started")
                .isEqualTo(2);
        killAndRunAgainOnASurvivor(doomed, pool, ids, handler, "the claim counts as an attempt");
        assertThat(handler.started.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(handler.runs.get()).as("each once on the survivor").isEqualTo(JOBS);
    }

    /**
     * Issue 14: the killed instance's handlers returned, but their outcomes were still in its
     * write buffer (the database out of its reach): nothing of them committed, so the jobs run
     * again on the survivor, each once more, none lost (at least once).
     */
    @Test
    void outcomesBufferedWhenAnInstanceIsKilled_areNotLost_theirJobsRunAgainOnTheSurvivor() throws Exception {
        String database = TestDatabases.newDatabase();
        DataSource pool = TestDatabases.pool(database, 10);
        Survivor handler = new Survivor(null);
        Doomed doomed = new Doomed(database, "buffering", PostgresJobStore.DEFAULT_LEASE_TIMEOUT, 0, "outcomes");
        List<String> ids = runningOwnedBy(pool, "buffering");
        assertThat(ids).as("outcomes buffered, not written").hasSize(JOBS);
        killAndRunAgainOnASurvivor(doomed, pool, ids, handler, "the buffered attempt counts");
        assertThat(handler.started.keySet()).containsAll(ids);
    }

    @Test
    void aSuspendedInstance_isRecoveredByTheLease_andOnResumingItsHandlersAreTold_andTheirOutcomesDropped()
            throws Exception {
        String database = TestDatabases.newDatabase();
        DataSource pool = TestDatabases.pool(database, 10);
        Duration lease = Duration.ofSeconds(2);
        CountDownLatch release = new CountDownLatch(1);
        Survivor handler = new Survivor(release);
        Doomed paused = new Doomed(database, "paused", lease, 0, "pause");
        Map<String, Long> stopped = paused.stopped;
        List<String> ids = runningOwnedBy(pool, "paused");
        try (Instance survivor = new Instance(pool, "survivor", lease, JOBS, TYPE, Work.class, handler)) {
            try {
                assertThat(ids).hasSize(JOBS);
                long suspended = System.nanoTime();
                signal("STOP", paused.process); // its sessions stay open and keep their locks: only the lease can tell
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> ids.stream().allMatch(handler.started::containsKey));
                long recovered =
                        ids.stream().mapToLong(handler.started::get).max().orElseThrow() - suspended;
                assertThat(stopped).as("nothing printed while suspended").isEmpty();
                String before = rows(pool);
                assertThat(before).doesNotContain("written after resuming");

                long resumed = System.nanoTime();
                signal("CONT", paused.process); // the survivor's attempts still run
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> stopped.keySet().containsAll(ids));
                long told = stopped.values().stream()
                                .mapToLong(Long::longValue)
                                .max()
                                .orElseThrow()
                        - resumed;
                Thread.sleep(500); // what the resumed instance writes would land by now
                assertThat(rows(pool))
                        .as("nothing the resumed instance wrote landed")
                        .isEqualTo(before);
                System.out.printf(
                        "suspended: %d jobs started on the survivor %d ms after SIGSTOP (lease %d ms); after "
                                + "SIGCONT every resumed handler stopped within %d ms, its outcomes dropped%n",
                        JOBS,
                        TimeUnit.NANOSECONDS.toMillis(recovered),
                        lease.toMillis(),
                        TimeUnit.NANOSECONDS.toMillis(told));
                assertThat(Duration.ofNanos(told))
                        .as("told at the resumed instance's first heartbeats")
                        .isLessThan(Duration.ofSeconds(10));
            } finally {
                release.countDown();
                paused.process.destroyForcibly();
                paused.process.waitFor(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> count(pool, "status = 'succeeded'") == JOBS);
            for (String id : ids) {
                Job job = survivor.store.find(new JobId(id)).orElseThrow();
                assertThat(job.attempt()).isEqualTo(2);
                assertThat(job.result().orElseThrow().text()).contains("\"by\":\"survivor\"");
                assertThat(job.progress().message()).isNotEqualTo("written after resuming");
            }
        }
    }

    /**
     * The survivor's handler: records when each job started, and waits for {@code release} if
     * given. Retried at once: the engine change that starts taken-back jobs without the retry
     * backoff is made separately; with it, the default policy starts them as fast.
     */
    static final class Survivor implements JobHandler<Work, Map<String, Object>> {

        final Map<String, Long> started = new ConcurrentHashMap<>();
        /** Handler runs, counting a job run twice twice. */
        final AtomicInteger runs = new AtomicInteger();

        private final CountDownLatch release;

        Survivor(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public Map<String, Object> handle(Work input, JobContext context) throws Exception {
            started.putIfAbsent(context.jobId().value(), System.nanoTime());
            runs.incrementAndGet();
            if (release != null) {
                release.await(60, TimeUnit.SECONDS);
            }
            return Map.of("n", input.n(), "by", "survivor");
        }
    }

    /**
     * Starts a survivor, kills {@code doomed} (SIGKILL), and checks that the survivor ran each of
     * {@code ids} to success, as the attempt after the doomed instance's ({@code attempt} says why
     * that one counts).
     */
    private static void killAndRunAgainOnASurvivor(
            Doomed doomed, DataSource pool, List<String> ids, Survivor handler, String attempt) throws Exception {
        try (Instance survivor = new Instance(
                pool, "survivor", PostgresJobStore.DEFAULT_LEASE_TIMEOUT, JOBS, TYPE, Work.class, handler)) {
            doomed.process.destroyForcibly();
            assertThat(doomed.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> count(pool, "status = 'succeeded'") == JOBS);
            for (String id : ids) {
                Job job = survivor.store.find(new JobId(id)).orElseThrow();
                assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
                assertThat(job.attempt()).as(attempt).isEqualTo(2);
                assertThat(job.result().orElseThrow().text()).contains("\"by\":\"survivor\"");
            }
        }
    }

    /** {@link DoomedInstance} in its own JVM, running its jobs; what it prints is read as it comes. */
    private static final class Doomed {

        final Process process;
        /** When each job's handler printed that it stopped (TOLD or RESUMED). */
        final Map<String, Long> stopped = new ConcurrentHashMap<>();

        private final List<String> seen = new CopyOnWriteArrayList<>();
        private final CountDownLatch running = new CountDownLatch(1);

        Doomed(String database, String id, Duration lease, int first, String mode) throws Exception {
            process = new ProcessBuilder(
                            javaBinary(),
                            "-Xmx256m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            DoomedInstance.class.getName(),
                            TestDatabases.jdbcUrl(database),
                            Integer.toString(JOBS),
                            Long.toString(lease.toMillis()),
                            id,
                            Integer.toString(first),
                            mode)
                    .redirectErrorStream(true)
                    .start();
            Thread reader = new Thread(this::read, "doomed-output");
            reader.setDaemon(true);
            reader.start();
            if (!running.await(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the doomed instance did not run its jobs; its output: " + seen);
            }
        }

        private void read() {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    seen.add(line);
                    if (line.equals("RUNNING " + JOBS)) {
                        running.countDown();
                    } else if (line.startsWith("TOLD ") || line.startsWith("RESUMED ")) {
                        stopped.putIfAbsent(line.substring(line.indexOf(' ') + 1), System.nanoTime());
                    }
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        }
    }

    private static void signal(String signal, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
                .as("kill -%s", signal)
                .isTrue();
    }

    /** Every job's row, as text: version, progress, result. */
    private static String rows(DataSource pool) throws Exception {
        StringBuilder text = new StringBuilder();
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT id, status, version, attempt, progress_message, "
                        + "convert_from(result, 'UTF8') FROM accepted_jobs ORDER BY id")) {
            while (rows.next()) {
                for (int i = 1; i <= 6; i++) {
                    text.append(rows.getString(i)).append(i < 6 ? " " : "\n");
                }
            }
        }
        return text.toString();
    }

    private static List<String> allIds(DataSource pool) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT id FROM accepted_jobs")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private static List<String> runningOwnedBy(DataSource pool, String owner) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT id FROM accepted_jobs WHERE status = 'running' "
                        + "AND lease_owner = '" + owner + "'")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private static long count(DataSource pool, String where) throws Exception {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT count(*) FROM accepted_jobs WHERE " + where)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
