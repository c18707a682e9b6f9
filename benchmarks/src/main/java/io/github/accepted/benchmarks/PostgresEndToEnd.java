package io.github.accepted.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accepted.Accepted;
import io.github.accepted.JobId;
import io.github.accepted.postgres.PostgresJobStore;
import io.github.accepted.spi.JobExecutor;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * No-op jobs from submit to {@code succeeded} on one embedded PostgreSQL, two engine instances
 * with 10 workers each: jobs per second, and pickup latency (submit to handler start) under
 * load and when idle.
 */
final class PostgresEndToEnd {

    /** What was measured. */
    record Result(int jobs, double jobsPerSecond, double loadedP50Ms, double loadedP99Ms, double idleP50Ms,
            double idleP99Ms) {
    }

    private PostgresEndToEnd() {
    }

    static Result measure(int jobs) throws Exception {
        Map<JobId, Long> submitted = new ConcurrentHashMap<>();
        Map<JobId, Long> started = new ConcurrentHashMap<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "100").start()) {
            List<HikariDataSource> pools = new ArrayList<>();
            List<Accepted> engines = new ArrayList<>();
            try {
                for (String name : List.of("A", "B")) {
                    HikariConfig config = new HikariConfig();
                    config.setJdbcUrl("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres");
                    config.setUsername("postgres");
                    config.setMaximumPoolSize(14);
                    HikariDataSource pool = new HikariDataSource(config);
                    pools.add(pool);
                    engines.add(Accepted.builder()
                            .store(PostgresJobStore.builder(pool).instanceId(name).maxQueued(jobs + 1000).build())
                            .executor(JobExecutor.fixedThreadPool(10))
                            .handler("noop", EngineBenchmarks.Noop.class, (input, context) -> {
                                started.put(context.jobId(), System.nanoTime());
                                return input.n();
                            })
                            .build());
                }
                // warm-up
                run(engines, pools.get(0), 1000, submitted, started);
                submitted.clear();
                started.clear();
                long begin = System.nanoTime();
                run(engines, pools.get(0), jobs, submitted, started);
                double seconds = (System.nanoTime() - begin) / 1e9;
                List<Double> loaded = pickups(submitted, started);
                submitted.clear();
                started.clear();
                for (int i = 0; i < 100; i++) {
                    JobId id = engines.get(i % 2).submitJson("noop", "", "{\"n\":1}".getBytes()).id();
                    submitted.put(id, System.nanoTime());
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (!started.containsKey(id) && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    Thread.sleep(20);
                }
                List<Double> idle = pickups(submitted, started);
                return new Result(jobs, jobs / seconds, percentile(loaded, 50), percentile(loaded, 99),
                        percentile(idle, 50), percentile(idle, 99));
            } finally {
                engines.forEach(Accepted::close);
                pools.forEach(HikariDataSource::close);
            }
        }
    }

    private static void run(List<Accepted> engines, HikariDataSource pool, int jobs, Map<JobId, Long> submitted,
            Map<JobId, Long> started) throws Exception {
        long before = succeeded(pool);
        CountDownLatch done = new CountDownLatch(2);
        for (int e = 0; e < 2; e++) {
            Accepted engine = engines.get(e);
            new Thread(() -> {
                for (int i = 0; i < jobs / 2; i++) {
                    long at = System.nanoTime();
                    JobId id = engine.submitJson("noop", "", "{\"n\":1}".getBytes()).id();
                    submitted.put(id, at);
                }
                done.countDown();
            }).start();
        }
        done.await();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (succeeded(pool) - before < jobs && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static long succeeded(HikariDataSource pool) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT count(*) FROM accepted_jobs WHERE status = 'succeeded'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static List<Double> pickups(Map<JobId, Long> submitted, Map<JobId, Long> started) {
        List<Double> millis = new ArrayList<>();
        submitted.forEach((id, at) -> {
            Long start = started.get(id);
            if (start != null) {
                millis.add((start - at) / 1e6);
            }
        });
        millis.sort(Double::compare);
        return millis;
    }

    private static double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
