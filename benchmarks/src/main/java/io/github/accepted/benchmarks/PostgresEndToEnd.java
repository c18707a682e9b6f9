package io.github.accepted.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * No-op jobs from submit to succeeded on one embedded PostgreSQL, for Accepted and for the
 * schedulers a user would pick instead ({@link Contender}): two instances with 10 workers each,
 * each in its own database on the same server, run one after the other. Measures jobs per
 * second, and pickup latency (submit to handler start) under load and when idle.
 *
 * <p>Run alone: {@code java -cp … io.github.accepted.benchmarks.PostgresEndToEnd [jobs]}.
 */
final class PostgresEndToEnd {

    static final int INSTANCES = 2;
    static final int WORKERS = 10;
    static final int WARM_UP = 1_000;
    static final int SUBMITTERS = 2;

    /** What was measured for one contender. */
    record Result(String name, String configuration, int jobs, double jobsPerSecond, double loadedP50Ms,
            double loadedP99Ms, int idleJobs, double idleP50Ms, double idleP99Ms, int idleMissed) {
    }

    /** Times handlers start, by job key; shared by every contender's handler. */
    static final Map<String, Long> STARTED = new ConcurrentHashMap<>();

    private PostgresEndToEnd() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        for (Result r : measureAll(jobs).values()) {
            System.out.printf(Locale.ROOT, "%-14s %,8.0f jobs/s  loaded p50/p99 %.1f/%.1f ms  idle p50/p99 %.1f/%.1f ms"
                    + " (%d idle jobs, %d not started in 15 s)%n", r.name(), r.jobsPerSecond(), r.loadedP50Ms(),
                    r.loadedP99Ms(), r.idleP50Ms(), r.idleP99Ms(), r.idleJobs(), r.idleMissed());
        }
    }

    static Map<String, Result> measureAll(int jobs) throws Exception {
        Map<String, Result> results = new LinkedHashMap<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "200").start()) {
            for (Contender contender : List.of(new Contender.AcceptedOnPostgres(), new Contender.DbScheduler(),
                    new Contender.JobRunr())) {
                results.put(contender.name(), measure(postgres, contender, jobs));
            }
        }
        return results;
    }

    static Result measure(EmbeddedPostgres postgres, Contender contender, int jobs) throws Exception {
        String database = "bench_" + contender.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database);
            s.execute("CREATE DATABASE " + database);
        }
        List<HikariDataSource> pools = new ArrayList<>();
        try {
            for (int i = 0; i < INSTANCES; i++) {
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database);
                config.setUsername("postgres");
                config.setMaximumPoolSize(WORKERS + 4);
                config.setPoolName(contender.name() + "-" + i);
                pools.add(new HikariDataSource(config));
            }
            contender.start(pools, WORKERS);
            Map<String, Long> submitted = new ConcurrentHashMap<>();
            run(contender, pools.get(0), WARM_UP, submitted);
            submitted.clear();
            STARTED.clear();
            long begin = System.nanoTime();
            run(contender, pools.get(0), jobs, submitted);
            double seconds = (System.nanoTime() - begin) / 1e9;
            List<Double> loaded = pickups(submitted);
            submitted.clear();
            STARTED.clear();
            int idleJobs = contender.idleSamples();
            int missed = 0;
            for (int i = 0; i < idleJobs; i++) {
                Thread.sleep(50);
                long at = System.nanoTime();
                String key = contender.submit(i % INSTANCES);
                submitted.put(key, at);
                long deadline = at + TimeUnit.SECONDS.toNanos(15);
                while (!STARTED.containsKey(key) && System.nanoTime() < deadline) {
                    Thread.sleep(0, 100_000);
                }
                if (!STARTED.containsKey(key)) {
                    missed++;
                }
            }
            List<Double> idle = pickups(submitted);
            return new Result(contender.name(), contender.configuration(), jobs, jobs / seconds, percentile(loaded, 50),
                    percentile(loaded, 99), idleJobs, percentile(idle, 50), percentile(idle, 99), missed);
        } finally {
            contender.close();
            pools.forEach(HikariDataSource::close);
            STARTED.clear();
        }
    }

    /** Submits {@code jobs} from {@link #SUBMITTERS} threads, each to its own instance; waits until all succeeded. */
    private static void run(Contender contender, HikariDataSource pool, int jobs, Map<String, Long> submitted)
            throws Exception {
        long before = succeeded(contender, pool);
        CountDownLatch done = new CountDownLatch(SUBMITTERS);
        AtomicLong failures = new AtomicLong();
        for (int t = 0; t < SUBMITTERS; t++) {
            int instance = t % INSTANCES;
            new Thread(() -> {
                try {
                    for (int i = 0; i < jobs / SUBMITTERS; i++) {
                        long at = System.nanoTime();
                        submitted.put(contender.submit(instance), at);
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                    e.printStackTrace();
                } finally {
                    done.countDown();
                }
            }, "submitter-" + t).start();
        }
        done.await();
        if (failures.get() > 0) {
            throw new IllegalStateException(contender.name() + ": submitting failed");
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (succeeded(contender, pool) - before < jobs) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(contender.name() + ": jobs did not finish in 10 minutes");
            }
            Thread.sleep(10);
        }
    }

    private static long succeeded(Contender contender, HikariDataSource pool) throws Exception {
        try (Connection c = pool.getConnection()) {
            return contender.succeeded(c);
        }
    }

    private static List<Double> pickups(Map<String, Long> submitted) {
        List<Double> millis = new ArrayList<>();
        submitted.forEach((key, at) -> {
            Long start = STARTED.get(key);
            if (start != null) {
                millis.add((start - at) / 1e6);
            }
        });
        millis.sort(Double::compare);
        return millis;
    }

    static double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
