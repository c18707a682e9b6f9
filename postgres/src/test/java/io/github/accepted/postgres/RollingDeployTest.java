package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.Accepted;
import io.github.accepted.Job;
import io.github.accepted.JobHandler;
import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.spi.JobExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A rolling deploy closes an instance while a job runs there longer than the lease (issue 19,
 * item 1): it used to stop renewing leases the moment {@code close()} began, so another instance
 * took the job over and ran it a second time, concurrently, and the first run's outcome was lost.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RollingDeployTest {

    record Named(String name) {}

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void closingAnInstance_whileAJobRunsLongerThanTheLease_runsTheJobExactlyOnce() throws Exception {
        String database = TestDatabases.newDatabase();
        Duration lease = Duration.ofSeconds(2);
        List<String> runs = new CopyOnWriteArrayList<>();
        CountDownLatch startedOnA = new CountDownLatch(1);
        JobHandler<Named, String> onA = (input, context) -> {
            runs.add("A");
            startedOnA.countDown();
            Thread.sleep(6_000); // three leases: only renewals during the shutdown keep it here
            return "A";
        };
        JobHandler<Named, String> onB = (input, context) -> {
            runs.add("B");
            return "B";
        };
        Accepted a = engine(TestDatabases.pool(database, 6), "A", lease, onA);
        Accepted b = engine(TestDatabases.pool(database, 6), "B", lease, onB);
        try {
            JobId id = a.submit("slow", "alice", new Named("report")).id();
            assertThat(startedOnA.await(30, TimeUnit.SECONDS)).isTrue();

            long start = System.nanoTime();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(a::close);
            closing.get(60, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("A waited for its job")
                    .isGreaterThan(Duration.ofSeconds(3));

            Job done = await().atMost(Duration.ofSeconds(30))
                    .until(() -> b.find(id, "alice").orElseThrow(), job -> job.status()
                            .isTerminal());
            assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(done.result().orElseThrow().text()).isEqualTo("\"A\"");
            assertThat(done.attempt()).isEqualTo(1);
            Thread.sleep(lease.multipliedBy(2).toMillis()); // B had every chance to take it
            assertThat(runs).containsExactly("A");
        } finally {
            a.close();
            b.close();
        }
    }

    private static Accepted engine(DataSource pool, String name, Duration lease, JobHandler<Named, String> handler) {
        PostgresJobStore store = PostgresJobStore.builder(pool)
                .instanceId(name)
                .leaseTimeout(lease)
                .build();
        return Accepted.builder()
                .store(store)
                .executor(JobExecutor.fixedThreadPool(1))
                .handler("slow", Named.class, handler)
                .pollInterval(Duration.ofMillis(200))
                .shutdownTimeout(Duration.ofSeconds(30))
                .build();
    }
}
