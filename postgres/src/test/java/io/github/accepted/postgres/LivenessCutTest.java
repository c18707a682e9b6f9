package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accepted.Job;
import io.github.accepted.JobContext;
import io.github.accepted.JobHandler;
import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.RetryPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The liveness connection of a running instance is cut again and again ({@code
 * pg_terminate_backend} on the session holding its lock) while its other connections work: the
 * other instance takes its jobs back meanwhile. Nothing is lost, the instance locks again under
 * the same identity, and what it writes for the attempts taken from it is dropped: every job's
 * result is its last attempt's.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LivenessCutTest {

    record Work(int n) {}

    /** The session holding A's liveness lock, if any (in the test's database). */
    private static final String HOLDER_OF_A = "SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' "
            + "AND l.classid = " + Liveness.NAMESPACE + "::oid AND l.objsubid = 2 AND l.granted "
            + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            + "AND l.objid = (SELECT lock_key::oid FROM accepted_instances WHERE instance_id = 'A')";

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void cuttingALiveInstancesLivenessConnection_losesNoJob_andNoTakenOverAttemptOverwritesTheNextOne()
            throws Exception {
        String database = TestDatabases.newDatabase();
        int jobs = 8;
        Attempts attempts = new Attempts();
        DataSource poolA = TestDatabases.pool(database, 14);
        try (Instance a = new Instance(
                        poolA,
                        "A",
                        PostgresJobStore.DEFAULT_LEASE_TIMEOUT,
                        jobs,
                        "work",
                        Work.class,
                        attempts.handler("A"));
                Instance b = new Instance(
                        TestDatabases.pool(database, 14),
                        "B",
                        PostgresJobStore.DEFAULT_LEASE_TIMEOUT,
                        jobs,
                        "work",
                        Work.class,
                        attempts.handler("B"))) {
            List<JobId> ids = new ArrayList<>();
            for (int n = 0; n < jobs; n++) {
                ids.add(a.accepted.submit("work", "", new Work(n)).id());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> attempts.started.size() == jobs);

            int cuts = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            try (Connection admin = TestDatabases.server()
                            .getDatabase("postgres", database)
                            .getConnection();
                    PreparedStatement cut = admin.prepareStatement(
                            "SELECT count(pg_terminate_backend(pid)) FROM (" + HOLDER_OF_A + ") holder")) {
                while (count(poolA, "attempt > 1") == 0 && System.nanoTime() < deadline) {
                    try (ResultSet killed = cut.executeQuery()) {
                        killed.next();
                        cuts += killed.getInt(1);
                    }
                    Thread.sleep(20);
                }
            }
            assertThat(count(poolA, "attempt > 1"))
                    .as("B took back jobs of A while A ran them")
                    .isPositive();

            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> count(poolA, "status IN ('succeeded', 'failed', 'canceled')") == jobs);
            ObjectMapper json = new ObjectMapper();
            int takenOver = 0;
            for (JobId id : ids) {
                Job job = a.store.find(id).orElseThrow();
                assertThat(job.status()).as("job %s", id).isEqualTo(JobStatus.SUCCEEDED);
                JsonNode result = json.readTree(job.result().orElseThrow().bytes());
                assertThat(result.path("attempt").asInt())
                        .as("the result is the last attempt's")
                        .isEqualTo(job.attempt());
                takenOver += job.attempt() - 1;
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> count(poolA, "EXISTS (" + HOLDER_OF_A + ")") > 0);
            System.out.printf(
                    "cut: %d liveness sessions of A terminated; %d attempts taken over; a taken-over attempt "
                            + "ran on for at most %d ms after the next one started (until A's heartbeat told it); all %d jobs "
                            + "succeeded with their last attempt's result; A holds its lock again%n",
                    cuts, takenOver, attempts.longestOverlapMillis(), jobs);
        }
    }

    /** Handlers that run about 5 s, and record when each attempt started and stopped, per instance. */
    static final class Attempts {

        final Map<String, Long> started = new ConcurrentHashMap<>();
        final Map<String, Long> stopped = new ConcurrentHashMap<>();

        JobHandler<Work, Map<String, Object>> handler(String instance) {
            return new JobHandler<>() {
                @Override
                public Map<String, Object> handle(Work input, JobContext context) throws Exception {
                    String attempt = context.jobId().value() + "#" + context.attempt();
                    started.putIfAbsent(attempt, System.nanoTime());
                    try {
                        for (int i = 0; i < 250; i++) {
                            Thread.sleep(20);
                        }
                        return Map.of("attempt", context.attempt(), "by", instance);
                    } finally {
                        stopped.put(attempt, System.nanoTime());
                    }
                }

                @Override
                public RetryPolicy retryPolicy() {
                    return new RetryPolicy(5, Duration.ZERO, Duration.ZERO);
                }
            };
        }

        /** The longest time an attempt ran on after the next attempt of its job started. */
        long longestOverlapMillis() {
            long longest = 0;
            for (Map.Entry<String, Long> next : started.entrySet()) {
                String id = next.getKey().substring(0, next.getKey().indexOf('#'));
                int attempt =
                        Integer.parseInt(next.getKey().substring(next.getKey().indexOf('#') + 1));
                Long previousStopped = stopped.get(id + "#" + (attempt - 1));
                if (previousStopped != null) {
                    longest = Math.max(longest, previousStopped - next.getValue());
                }
            }
            return TimeUnit.NANOSECONDS.toMillis(longest);
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
