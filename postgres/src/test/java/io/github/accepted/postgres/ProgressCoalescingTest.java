package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.Accepted;
import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.Payload;
import io.github.accepted.Progress;
import io.github.accepted.internal.JobTransitions;
import io.github.accepted.spi.JobExecutor;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14: a handler's progress reports are queued without the handler waiting, and a burst of
 * them is written as a few rows (each report chained on the one before joins its row while it
 * waits), the latest value winning; the outcome comes after the last, and wins, also when a
 * report lost its compare-and-set. Rows written are counted by a trigger.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProgressCoalescingTest {

    record Text(String text) {}

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void aHundredReportsInATightLoop_areWrittenInFarFewerRows_andTheOutcomeEndsThem() throws Exception {
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 8);
        PostgresJobStore store =
                PostgresJobStore.builder(pool).instanceId("A").listen(false).build();
        countUpdates(pool);
        try (Accepted accepted = engine(store, pool, false)) {
            Job job = accepted.submit("t", "", new Text("done"));
            Job done = await().atMost(Duration.ofSeconds(60))
                    .until(() -> store.find(job.id()).orElseThrow(), found -> found.status() == JobStatus.SUCCEEDED);
            assertThat(done.progress()).isEqualTo(new Progress(100, "step 100"));
            assertThat(done.result()).isPresent();
        }
        int updates = updates(pool);
        assertThat(updates)
                .as("rows written: the claim, the reports coalesced, the outcome (one a report: 102)")
                .isLessThan(30);
    }

    @Test
    void aReportThatLosesItsCompareAndSet_doesNotLoseTheOutcome() throws Exception {
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 8);
        PostgresJobStore store =
                PostgresJobStore.builder(pool).instanceId("A").listen(false).build();
        try (Accepted accepted = engine(store, pool, true)) {
            Job job = accepted.submit("t", "", new Text("done"));
            Job done = await().atMost(Duration.ofSeconds(60))
                    .until(() -> store.find(job.id()).orElseThrow(), found -> found.status() == JobStatus.SUCCEEDED);
            assertThat(done.progress().percent()).isEqualTo(100);
            assertThat(done.result()).isPresent();
            assertThat(done.metadata()).as("the change made elsewhere is kept").isPresent();
        }
    }

    @Test
    void aChangeChainedOnALostOne_losesToo_withoutOverwritingTheChangeMadeElsewhere() throws Exception {
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 8);
        PostgresJobStore store =
                PostgresJobStore.builder(pool).instanceId("A").listen(false).build();
        try {
            store.create(Job.queued(JobId.random(), "t", "", Payload.json("{}"), Instant.now()));
            Job running = store.claimNext(Instant.now(), Set.of("t")).orElseThrow();
            try (Connection c = pool.getConnection();
                    Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE accepted_jobs SET version = version + 1, "
                        + "metadata = convert_to('{\"by\":\"elsewhere\"}', 'UTF8') WHERE id = '"
                        + running.id().value() + "'");
            }
            Job first = JobTransitions.withProgress(running, new Progress(1, "one"), Instant.now());
            assertThat(store.replaceAsync(running, first).get(30, TimeUnit.SECONDS))
                    .isFalse();
            // its expected version is the one the change made elsewhere reached
            Job second = JobTransitions.withProgress(first, new Progress(2, "two"), Instant.now());
            assertThat(store.replaceAsync(first, second).get(30, TimeUnit.SECONDS))
                    .isFalse();
            Job stored = store.find(running.id()).orElseThrow();
            assertThat(stored.metadata()).isPresent();
            assertThat(stored.progress().percent()).isZero();
        } finally {
            store.close();
        }
    }

    /** A handler reporting 1..100; with {@code changedElsewhere}, the job is changed behind its back after 1. */
    private static Accepted engine(PostgresJobStore store, DataSource pool, boolean changedElsewhere) {
        return Accepted.builder()
                .store(store)
                .executor(JobExecutor.fixedThreadPool(1))
                .pollInterval(Duration.ofHours(1))
                .handler("t", Text.class, (input, context) -> {
                    context.progress(1, "step 1");
                    if (changedElsewhere) {
                        Job first = await().atMost(Duration.ofSeconds(30))
                                .until(
                                        () -> store.find(context.jobId()).orElseThrow(),
                                        found -> found.progress().percent() == 1);
                        // changed elsewhere: every version this instance chains on from here loses
                        try (Connection c = pool.getConnection();
                                Statement s = c.createStatement()) {
                            assertThat(s.executeUpdate("UPDATE accepted_jobs SET version = version + 1, "
                                            + "metadata = convert_to('{\"by\":\"elsewhere\"}', 'UTF8') "
                                            + "WHERE id = '" + first.id().value() + "' AND version = "
                                            + first.version()))
                                    .isEqualTo(1);
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    for (int i = 2; i <= 100; i++) {
                        context.progress(i, "step " + i);
                    }
                    return input.text();
                })
                .build();
    }

    private static void countUpdates(DataSource pool) throws Exception {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE test_updates (n int8 NOT NULL)");
            s.execute("INSERT INTO test_updates VALUES (0)");
            s.execute("CREATE FUNCTION test_count_update() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN UPDATE test_updates SET n = n + 1; RETURN NULL; END $$");
            s.execute("CREATE TRIGGER test_count_update AFTER UPDATE ON accepted_jobs "
                    + "FOR EACH ROW EXECUTE FUNCTION test_count_update()");
        }
    }

    private static int updates(DataSource pool) throws Exception {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT n FROM test_updates")) {
            r.next();
            return r.getInt(1);
        }
    }
}
