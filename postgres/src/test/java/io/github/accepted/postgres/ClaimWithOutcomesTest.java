package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.Accepted;
import io.github.accepted.Job;
import io.github.accepted.JobHandler;
import io.github.accepted.JobId;
import io.github.accepted.Payload;
import io.github.accepted.spi.JobExecutor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14: acknowledgements and the next claim share a transaction. A worker whose outcome is
 * queued leaves its room to the flush that writes the outcome, which claims the next job after
 * its {@code UPDATE} and before its commit. Transactions are counted by a DataSource that watches
 * each connection's statements and commits.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClaimWithOutcomesTest {

    record Numbered(int n) {}

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void aBacklogOnOneWorker_isClaimedByTheFlushesOfTheOutcomes_inTheirTransactions_eachJobOnce() throws Exception {
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 8);
        AtomicInteger shared = new AtomicInteger();
        AtomicInteger claimTransactions = new AtomicInteger();
        DataSource counting = counting(pool, shared, claimTransactions);
        int jobs = 50;
        PostgresJobStore store =
                PostgresJobStore.builder(counting).instanceId("A").listen(false).build();
        for (int n = 0; n < jobs; n++) {
            store.create(Job.queued(JobId.random(), "count", "", Payload.json("{\"n\":" + n + "}"), Instant.now()));
        }
        Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
        JobHandler<Numbered, Integer> handler = (input, context) -> {
            runs.computeIfAbsent(input.n(), k -> new AtomicInteger()).incrementAndGet();
            return input.n();
        };
        try (Accepted accepted = Accepted.builder()
                .store(store)
                .executor(JobExecutor.fixedThreadPool(1))
                .handler("count", Numbered.class, handler)
                .pollInterval(Duration.ofHours(1))
                .build()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> succeeded(pool) == jobs);
        }
        assertThat(runs).hasSize(jobs);
        assertThat(runs.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        // every job after the first is claimed by the flush of the one before, but for a drain of the engine's own
        // that finds the worker free between its outcome and that flush (at start, a second drain asked for before
        // the first job ended: 5 of 100 runs with the 2 cores kept busy): such a job is claimed alone, its flush claims
        // none
        assertThat(store.claimedWithFlushes())
                .as("jobs claimed in the flush of an outcome")
                .isBetween((long) jobs - 3, (long) jobs - 1);
        assertThat(shared.get())
                .as("transactions with an outcome UPDATE and a claim (the last finds the queue empty)")
                .isBetween(jobs - 3, jobs);
        assertThat(claimTransactions.get() - shared.get())
                .as("claims of their own: the first, a look at the empty queue at the end, and at most 2 drains")
                .isBetween(1, 5);
    }

    private static int succeeded(DataSource pool) throws Exception {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM accepted_jobs WHERE status = 'succeeded'")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** Counts, at each commit, whether the transaction claimed, and whether it also wrote outcomes. */
    private static DataSource counting(DataSource pool, AtomicInteger shared, AtomicInteger claims) {
        return (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(method, pool, args);
                    if (!method.getName().equals("getConnection")) {
                        return result;
                    }
                    Connection connection = (Connection) result;
                    boolean[] seen = new boolean[2]; // an outcome UPDATE, a claim
                    return Proxy.newProxyInstance(
                            Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
                                if (m.getName().equals("prepareStatement")) {
                                    String sql = (String) a[0];
                                    if (sql.startsWith("UPDATE accepted_jobs SET status")
                                            || sql.startsWith("UPDATE accepted_jobs j SET status")) {
                                        seen[0] = true;
                                    }
                                    if (sql.contains(PostgresJobStore.CLAIM)) {
                                        seen[1] = true;
                                    }
                                }
                                if (m.getName().equals("commit")) {
                                    Object committed = invoke(m, connection, a);
                                    if (seen[1]) {
                                        claims.incrementAndGet();
                                        if (seen[0]) {
                                            shared.incrementAndGet();
                                        }
                                    }
                                    seen[0] = false;
                                    seen[1] = false;
                                    return committed;
                                }
                                if (m.getName().equals("close")) {
                                    seen[0] = false;
                                    seen[1] = false;
                                }
                                return invoke(m, connection, a);
                            });
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
