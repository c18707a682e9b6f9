package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.JobHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    record Numbered(int n) {
    }

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

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(() -> count(pool, "status = 'succeeded'") == jobs);
            System.out.printf("faults: %d connections terminated; %d jobs all succeeded; %d re-executions%n", kills, jobs,
                    executions.values().stream().mapToInt(AtomicInteger::get).sum() - jobs);
            assertThat(overlaps.get()).as("a job running twice at the same time").isZero();
            assertThat(executions).hasSize(jobs);
            assertThat(count(pool, "status <> 'succeeded'")).isZero();
        }
    }

    private static long count(DataSource pool, String where) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT count(*) FROM accepted_jobs WHERE " + where)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
