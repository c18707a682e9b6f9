package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.Job;
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
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An instance killed abruptly (SIGKILL, a separate JVM) in the middle of running jobs: the
 * survivor takes its jobs back when their leases run out, and all of them finish.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrashTest {

    static final String TYPE = "crashy";
    static final long LEASE_MILLIS = 2_000;

    /** The jobs' input. */
    public record Work(int n) {
    }

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void jobsOfAKilledInstance_areRecoveredByTheSurvivor_andAllFinish() throws Exception {
        String database = TestDatabases.newDatabase();
        int jobs = 6;
        DataSource pool = TestDatabases.pool(database, 8);
        PostgresJobStore.builder(pool).build().close(); // schema first, so both JVMs start on it

        Process doomed = new ProcessBuilder(javaBinary(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                DoomedInstance.class.getName(), TestDatabases.jdbcUrl(database), Integer.toString(jobs),
                Long.toString(LEASE_MILLIS)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(doomed.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null && !line.equals("RUNNING " + jobs)) {
            seen.add(line);
        }
        assertThat(line).as("the doomed instance's output: %s", seen).isEqualTo("RUNNING " + jobs);
        assertThat(runningOwnedBy(pool, "doomed")).isEqualTo(jobs);

        doomed.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup, leases left behind
        assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long killed = System.nanoTime();

        try (Instance survivor = new Instance(pool, "survivor", Duration.ofMillis(LEASE_MILLIS), 4, TYPE, Work.class,
                (input, context) -> Map.of("n", input.n(), "by", "survivor"))) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> countSucceeded(pool) == jobs);
            Duration recovery = Duration.ofNanos(System.nanoTime() - killed);
            System.out.printf("crash: %d jobs of a SIGKILLed instance recovered and finished %d ms after the kill "
                    + "(lease %d ms)%n", jobs, recovery.toMillis(), LEASE_MILLIS);
            assertThat(recovery).isLessThan(Duration.ofSeconds(30));

            for (String id : jobIds(pool)) {
                Job job = survivor.store.find(new JobId(id)).orElseThrow();
                assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
                assertThat(job.attempt()).as("the lost attempt counts").isEqualTo(2);
                assertThat(job.result().orElseThrow().text()).contains("\"by\":\"survivor\"");
            }
        }
    }

    private static List<String> jobIds(DataSource pool) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT id FROM accepted_jobs")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private static long runningOwnedBy(DataSource pool, String owner) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT count(*) FROM accepted_jobs WHERE status = 'running' "
                     + "AND lease_owner = '" + owner + "'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static long countSucceeded(DataSource pool) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT count(*) FROM accepted_jobs WHERE status = 'succeeded'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
