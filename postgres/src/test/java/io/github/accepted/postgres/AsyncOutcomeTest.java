package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.Accepted;
import io.github.accepted.Job;
import io.github.accepted.JobHandler;
import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.internal.EngineInternals;
import io.github.accepted.spi.Fetch;
import io.github.accepted.spi.JobEvent;
import io.github.accepted.spi.JobExecutor;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14: a worker takes its next job as soon as its outcome is queued, and nothing reports
 * the outcome before it commits. The commit is held back by a real row lock: a test transaction
 * holds {@code SELECT … FOR UPDATE} on the job's row, so the outcome's {@code UPDATE} waits.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AsyncOutcomeTest {

    record Numbered(int n) {}

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void theOnlyWorkerRunsTheNextJob_whileTheLastOutcomeWaitsForItsCommit_whichIsReportedOnlyAfter() throws Exception {
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 8);
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        JobHandler<Numbered, Integer> handler = (input, context) -> {
            if (input.n() == 1) {
                firstStarted.countDown();
                firstMayEnd.await();
            }
            return input.n();
        };
        Set<JobId> ended = ConcurrentHashMap.newKeySet();
        AtomicBoolean released = new AtomicBoolean();
        AtomicBoolean reportedWhileLocked = new AtomicBoolean();
        AtomicReference<JobId> firstId = new AtomicReference<>();
        PostgresJobStore store = PostgresJobStore.builder(pool).instanceId("A").build();
        try (Accepted accepted = Accepted.builder()
                        .store(store)
                        .executor(JobExecutor.fixedThreadPool(1))
                        .handler("count", Numbered.class, handler)
                        .listener(event -> {
                            if (event.kind() == JobEvent.Kind.SUCCEEDED) {
                                if (event.jobId().equals(firstId.get()) && !released.get()) {
                                    reportedWhileLocked.set(true);
                                }
                                ended.add(event.jobId());
                            }
                        })
                        .build();
                Connection locker = pool.getConnection()) {
            Job first = accepted.submit("count", "", new Numbered(1));
            firstId.set(first.id());
            assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
            Job running = accepted.find(first.id(), "").orElseThrow();
            assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute(
                        "SELECT id FROM accepted_jobs WHERE id = '" + first.id().value() + "' FOR UPDATE");
            }
            CompletableFuture<Optional<Job>> longPoll = EngineInternals.of(accepted)
                    .awaitChange(first.id(), "", running.version(), Duration.ofSeconds(60), Fetch.ALL);

            firstMayEnd.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> outcomeWaitsForALock(pool));
            Job second = accepted.submit("count", "", new Numbered(2));

            await().atMost(Duration.ofSeconds(30)).until(() -> ended.contains(second.id()));
            assertThat(accepted.find(second.id(), "").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(outcomeWaitsForALock(pool))
                    .as("the first outcome is still held back")
                    .isTrue();
            assertThat(accepted.find(first.id(), "").orElseThrow().status())
                    .as("the monitor shows the first job running until its outcome commits")
                    .isEqualTo(JobStatus.RUNNING);
            assertThat(longPoll).as("the long-poll has not answered").isNotDone();
            assertThat(ended).as("no event for an outcome not committed").doesNotContain(first.id());

            released.set(true);
            locker.rollback();
            Job answered = longPoll.get(30, TimeUnit.SECONDS).orElseThrow();
            assertThat(answered.status()).isEqualTo(JobStatus.SUCCEEDED);
            await().atMost(Duration.ofSeconds(30)).until(() -> ended.contains(first.id()));
            assertThat(reportedWhileLocked).isFalse();
        }
    }

    /** Whether an outcome {@code UPDATE} of this database waits for a row lock. */
    static boolean outcomeWaitsForALock(DataSource pool) throws Exception {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        + "AND wait_event_type = 'Lock' AND query LIKE 'UPDATE accepted_jobs%SET status%'")) {
            r.next();
            return r.getInt(1) > 0;
        }
    }
}
