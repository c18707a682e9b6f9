package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.Accepted;
import io.github.accepted.Job;
import io.github.accepted.JobHandler;
import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.Payload;
import io.github.accepted.spi.JobExecutor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14: an engine that starts looks for work at once, and claims ahead of its free workers
 * (prefetch) without losing or holding on to what it claimed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClaimAheadTest {

    record Named(String name) {}

    /** A row as the database has it. */
    record Row(String status, String leaseOwner, Instant leaseExpiresAt, int attempt) {}

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void aFreshEngineFacingAFullQueue_startsWithoutWaitingForAPoll() {
        String database = TestDatabases.newDatabase();
        DataSource pool = TestDatabases.pool(database, 8);
        List<JobId> ids = new ArrayList<>();
        // queued by an instance that is gone before the engine starts: its notifications went to nobody
        PostgresJobStore earlier =
                PostgresJobStore.builder(pool).instanceId("earlier").build();
        for (int i = 0; i < 30; i++) {
            Job job = Job.queued(
                    JobId.random(), "greet", "alice", Payload.json("{\"name\":\"n" + i + "\"}"), Instant.now());
            earlier.create(job);
            ids.add(job.id());
        }
        earlier.close();
        PostgresJobStore store =
                PostgresJobStore.builder(pool).instanceId("fresh").listen(false).build();
        try (Accepted engine = Accepted.builder()
                .store(store)
                .executor(JobExecutor.fixedThreadPool(2))
                .pollInterval(Duration.ofHours(1))
                .handler("greet", Named.class, (input, context) -> "hello " + input.name())
                .build()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream()
                    .allMatch(id -> engine.find(id, "alice").orElseThrow().status() == JobStatus.SUCCEEDED));
        }
    }

    @Test
    void prefetchedJobs_goBackToTheQueueOnClose_andAnotherInstanceTakesThemAtOnce() throws Exception {
        String database = TestDatabases.newDatabase();
        Duration lease = Duration.ofHours(1); // only a release can free them while the test runs
        List<String> runs = new CopyOnWriteArrayList<>();
        CountDownLatch holding = new CountDownLatch(1);
        List<JobId> ids = queue(TestDatabases.pool(database, 2), 5); // j0 to j4, before any engine runs
        Accepted a = engine(TestDatabases.pool(database, 6), "A", lease, (input, context) -> {
            runs.add("A:" + input.name());
            holding.countDown();
            Thread.sleep(600_000); // until interrupted by close()
            return "A";
        });
        Accepted b = null;
        try {
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            DataSource look = TestDatabases.pool(database, 2);
            // A's one worker runs j0; j1..j4 are claimed ahead, under A's lease, and wait there
            await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream()
                    .allMatch(id -> "running".equals(row(look, id).status())
                            && "A".equals(row(look, id).leaseOwner())));
            assertThat(runs).containsExactly("A:j0");

            b = engine(TestDatabases.pool(database, 6), "B", lease, (input, context) -> {
                runs.add("B:" + input.name());
                return "B";
            });
            a.close(); // shutdown timeout 0: j0 is interrupted and queued again; j1..j4 are released
            Accepted onB = b;
            await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream()
                    .allMatch(id -> onB.find(id, "alice").orElseThrow().status() == JobStatus.SUCCEEDED));
            assertThat(runs).containsExactlyInAnyOrder("A:j0", "B:j0", "B:j1", "B:j2", "B:j3", "B:j4");
            for (JobId id : ids.subList(1, 5)) {
                assertThat(b.find(id, "alice").orElseThrow().attempt())
                        .as("a released claim is not an attempt")
                        .isEqualTo(1);
            }
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
        }
    }

    @Test
    void heartbeatsRenewTheLeasesOfPrefetchedJobs_andEveryJobRunsOnce() throws Exception {
        String database = TestDatabases.newDatabase();
        Duration lease = Duration.ofSeconds(2);
        List<String> runs = new CopyOnWriteArrayList<>();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<JobId> ids = queue(TestDatabases.pool(database, 2), 5); // j0 to j4, before any engine runs
        Accepted a = engine(TestDatabases.pool(database, 6), "A", lease, (input, context) -> {
            runs.add("A:" + input.name());
            holding.countDown();
            release.await();
            return "A";
        });
        Accepted b = null;
        try {
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            DataSource look = TestDatabases.pool(database, 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream()
                    .allMatch(id -> "running".equals(row(look, id).status())
                            && "A".equals(row(look, id).leaseOwner())));
            // B would take back any job whose lease ran out
            b = engine(TestDatabases.pool(database, 6), "B", lease, (input, context) -> {
                runs.add("B:" + input.name());
                return "B";
            });
            JobId prefetched = ids.get(4);
            Instant firstExpiry = row(look, prefetched).leaseExpiresAt();
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> row(look, prefetched),
                            now -> "A".equals(now.leaseOwner())
                                    && now.leaseExpiresAt().isAfter(firstExpiry.plus(lease)));
            assertThat(ids).allSatisfy(id -> assertThat(row(look, id))
                    .extracting(Row::status, Row::leaseOwner, Row::attempt)
                    .containsExactly("running", "A", 1));

            release.countDown();
            Accepted onB = b;
            await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream()
                    .allMatch(id -> onB.find(id, "alice").orElseThrow().status() == JobStatus.SUCCEEDED));
            assertThat(runs).containsExactlyInAnyOrder("A:j0", "A:j1", "A:j2", "A:j3", "A:j4");
            assertThat(ids).allSatisfy(id -> assertThat(row(look, id).attempt()).isEqualTo(1));
        } finally {
            release.countDown();
            a.close();
            if (b != null) {
                b.close();
            }
        }
    }

    /** Queues {@code count} jobs named j0, j1, … through a store whose instance stops before the test goes on. */
    private static List<JobId> queue(DataSource pool, int count) throws InterruptedException {
        PostgresJobStore earlier = PostgresJobStore.builder(pool)
                .instanceId("earlier")
                .liveness(false)
                .build();
        List<JobId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Job job = Job.queued(
                    JobId.random(), "job", "alice", Payload.json("{\"name\":\"j" + i + "\"}"), Instant.now());
            earlier.create(job);
            ids.add(job.id());
            Thread.sleep(2); // distinct creation times: j0 is the oldest
        }
        earlier.close();
        return ids;
    }

    private static Row row(DataSource pool, JobId id) {
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT status, lease_owner, lease_expires_at, attempt " + "FROM accepted_jobs WHERE id = ?")) {
            s.setString(1, id.value());
            try (ResultSet rows = s.executeQuery()) {
                assertThat(rows.next()).isTrue();
                Timestamp expiry = rows.getTimestamp(3);
                return new Row(
                        rows.getString(1),
                        rows.getString(2),
                        expiry == null ? null : expiry.toInstant(),
                        rows.getInt(4));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Accepted engine(DataSource pool, String name, Duration lease, JobHandler<Named, String> handler) {
        PostgresJobStore store = PostgresJobStore.builder(pool)
                .instanceId(name)
                .leaseTimeout(lease)
                .liveness(false)
                .build();
        return Accepted.builder()
                .store(store)
                .executor(JobExecutor.fixedThreadPool(1))
                .prefetch(4)
                .handler("job", Named.class, handler)
                .pollInterval(Duration.ofHours(1))
                .shutdownTimeout(Duration.ZERO)
                .build();
    }
}
