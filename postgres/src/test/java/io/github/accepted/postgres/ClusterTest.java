package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.JobHandler;
import io.github.accepted.conformance.Gates;
import io.github.accepted.conformance.Http;
import io.github.accepted.conformance.TestHandlers;
import io.github.accepted.internal.EngineInternals;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two instances, each an engine behind its own Jetty, sharing one PostgreSQL database. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterTest {

    record Numbered(int n) {}

    private final Http http = new Http();

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void submitOnA_pollOnB_andALongPollOnB_hearsTheJobFinishOnA() throws Exception {
        String database = TestDatabases.newDatabase();
        JobHandler<TestHandlers.GateInput, Map<String, String>> gated = (input, context) -> {
            context.progress(50, "waiting at the gate");
            Gates.await(input.gate());
            return Map.of("gate", input.gate());
        };
        try (Instance a = new Instance(
                        TestDatabases.pool(database, 8),
                        "A",
                        Duration.ofSeconds(10),
                        2,
                        "gated",
                        TestHandlers.GateInput.class,
                        gated);
                Instance b = new Instance(
                        TestDatabases.pool(database, 8),
                        "B",
                        Duration.ofSeconds(10),
                        2,
                        "gated",
                        TestHandlers.GateInput.class,
                        gated)) {
            String gate = Gates.newGate();
            Http.Reply submitted = http.postJson(a.uri("/api/gated"), null, "{\"gate\":\"" + gate + "\"}");
            String path = URI.create(submitted.header("Location").orElseThrow()).getPath();
            URI onB = b.uri(path);
            String tag = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> http.get(onB, null),
                            reply -> reply.json()
                                            .path("progress")
                                            .path("percent")
                                            .asInt()
                                    == 50)
                    .header("ETag")
                    .orElseThrow();

            CompletableFuture<Http.Reply> longPoll =
                    CompletableFuture.supplyAsync(() -> http.get(onB, null, "Prefer", "wait=25", "If-None-Match", tag));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> EngineInternals.of(b.accepted).waitingCount() == 1);
            long opened = System.nanoTime();
            Gates.open(gate);
            Http.Reply answer = longPoll.get(30, TimeUnit.SECONDS);
            Duration delay = Duration.ofNanos(System.nanoTime() - opened);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().path("status").asText()).isEqualTo("succeeded");
            assertThat(delay)
                    .as("answered on the change, not at the 25 s deadline")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(http.get(a.uri(path), null)
                            .json()
                            .path("result")
                            .path("gate")
                            .asText())
                    .isEqualTo(gate);
        }
    }

    @Test
    void tenThousandJobs_onTwoInstancesWithTenWorkersEach_runExactlyOnce() throws Exception {
        String database = TestDatabases.newDatabase();
        int jobs = 10_000;
        Map<Integer, AtomicInteger> executions = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> byInstance = new ConcurrentHashMap<>();
        JobHandler<Numbered, Integer> counting = (input, context) -> {
            executions.computeIfAbsent(input.n(), n -> new AtomicInteger()).incrementAndGet();
            byInstance
                    .computeIfAbsent(Thread.currentThread().getName().split("-", -1)[2], k -> new AtomicInteger())
                    .incrementAndGet();
            return input.n();
        };
        DataSource poolA = TestDatabases.pool(database, 14);
        try (Instance a = new Instance(poolA, "A", Duration.ofSeconds(10), 10, "count", Numbered.class, counting);
                Instance b = new Instance(
                        TestDatabases.pool(database, 14),
                        "B",
                        Duration.ofSeconds(10),
                        10,
                        "count",
                        Numbered.class,
                        counting)) {
            long start = System.nanoTime();
            for (int n = 0; n < jobs; n++) {
                (n % 2 == 0 ? a : b).accepted.submit("count", "", new Numbered(n));
            }
            await().atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> countSucceeded(poolA) == jobs);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf(
                    "cluster: %d jobs on 2 instances x 10 workers in %d ms (%d jobs/s); per worker pool: %s%n",
                    jobs, took.toMillis(), jobs * 1000L / Math.max(1, took.toMillis()), byInstance);

            assertThat(executions).hasSize(jobs);
            assertThat(executions.values())
                    .allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
            assertThat(byInstance).as("both instances ran jobs").hasSize(2);
        }
    }

    /**
     * Issue 14: what a web server under load does, 64 request threads submitting at once, on two
     * instances; their submits are group-committed. With no crash, every job runs exactly once.
     */
    @Test
    void tenThousandJobs_from64ConcurrentSubmitters_onTwoInstances_eachRunExactlyOnce() throws Exception {
        String database = TestDatabases.newDatabase();
        int jobs = 10_000;
        Map<Integer, AtomicInteger> executions = new ConcurrentHashMap<>();
        JobHandler<Numbered, Integer> counting = (input, context) -> {
            executions.computeIfAbsent(input.n(), n -> new AtomicInteger()).incrementAndGet();
            return input.n();
        };
        DataSource poolA = TestDatabases.pool(database, 14);
        try (Instance a = new Instance(poolA, "A", Duration.ofSeconds(10), 10, "count", Numbered.class, counting);
                Instance b = new Instance(
                        TestDatabases.pool(database, 14),
                        "B",
                        Duration.ofSeconds(10),
                        10,
                        "count",
                        Numbered.class,
                        counting)) {
            AtomicInteger next = new AtomicInteger();
            java.util.concurrent.ExecutorService submitters = java.util.concurrent.Executors.newFixedThreadPool(64);
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < 64; t++) {
                done.add(submitters.submit(() -> {
                    for (int n = next.getAndIncrement(); n < jobs; n = next.getAndIncrement()) {
                        (n % 2 == 0 ? a : b).accepted.submit("count", "", new Numbered(n));
                    }
                }));
            }
            for (java.util.concurrent.Future<?> submitter : done) {
                submitter.get(240, TimeUnit.SECONDS);
            }
            submitters.shutdown();
            await().atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> countSucceeded(poolA) == jobs);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            long flushes = a.store.submitFlushes() + b.store.submitFlushes();
            System.out.printf(
                    "cluster, 64 submitters: %d jobs in %d ms (%d jobs/s); %d submit flushes, %d change flushes%n",
                    jobs,
                    took.toMillis(),
                    jobs * 1000L / Math.max(1, took.toMillis()),
                    flushes,
                    a.store.changeFlushes() + b.store.changeFlushes());

            assertThat(executions).hasSize(jobs);
            assertThat(executions.values())
                    .allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
            assertThat(flushes).as("submits shared flushes").isLessThan(jobs);
        }
    }

    @Test
    void closingAnInstanceMidJob_leavesItsJobsToTheOther_notFailed() throws Exception {
        String database = TestDatabases.newDatabase();
        java.util.concurrent.CountDownLatch startedOnA = new java.util.concurrent.CountDownLatch(1);
        JobHandler<Numbered, String> onA = (input, context) -> {
            startedOnA.countDown();
            Thread.sleep(60_000);
            return "A";
        };
        DataSource pool = TestDatabases.pool(database, 8);
        Instance a = new Instance(pool, "A", Duration.ofSeconds(10), 1, "count", Numbered.class, onA);
        io.github.accepted.JobId id;
        try {
            id = a.accepted.submit("count", "", new Numbered(7)).id();
            assertThat(startedOnA.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            a.close(); // shutdown timeout 5 s, then interrupted: queued again, not failed
        }
        assertThat(a.store.find(id).orElseThrow().status()).isEqualTo(io.github.accepted.JobStatus.QUEUED);
        try (Instance b = new Instance(
                TestDatabases.pool(database, 8),
                "B",
                Duration.ofSeconds(10),
                1,
                "count",
                Numbered.class,
                (input, context) -> "B")) {
            io.github.accepted.Job done = await().atMost(Duration.ofSeconds(30))
                    .until(() -> b.store.find(id).orElseThrow(), job -> job.status()
                            .isTerminal());
            assertThat(done.status()).isEqualTo(io.github.accepted.JobStatus.SUCCEEDED);
            assertThat(done.result().orElseThrow().text()).isEqualTo("\"B\"");
            assertThat(done.attempt()).isEqualTo(2);
        }
    }

    private static long countSucceeded(DataSource pool) throws Exception {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT count(*) FROM accepted_jobs WHERE status = 'succeeded'")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
