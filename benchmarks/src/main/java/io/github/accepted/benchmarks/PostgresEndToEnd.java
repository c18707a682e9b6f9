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
            double loadedP99Ms, int idleJobs, double idleP50Ms, double idleP99Ms, int idleMissed,
            List<StatementStats> statements, double jvmCpuMicrosPerJob, double machineBusyPercent, Backlog backlog) {

        Result withBacklog(Backlog measured) {
            return new Result(name, configuration, jobs, jobsPerSecond, loadedP50Ms, loadedP99Ms, idleJobs, idleP50Ms,
                    idleP99Ms, idleMissed, statements, jvmCpuMicrosPerJob, machineBusyPercent, measured);
        }

        double statementsPerJob() {
            return statements.stream().mapToLong(StatementStats::calls).sum() / (double) jobs;
        }

        double serverMillisPerJob() {
            return statements.stream().mapToDouble(StatementStats::totalMillis).sum() / jobs;
        }
    }

    /**
     * A backlog drained: {@code jobs} queued before any worker ran, then the instances started;
     * timed from the first handler start to the last job recorded as succeeded.
     */
    record Backlog(int jobs, double jobsPerSecond, double statementsPerJob, double jvmCpuMicrosPerJob,
            CpuProfile.Shares profile) {
    }

    /** Methods whose share of the JVM's CPU samples is reported while a backlog drains. */
    static final List<String> PROFILED = List.of("QueryExecutorImpl.execute", "PgPreparedStatement.setTimestamp",
            "PgResultSet.getObject", "ObjectMapper.readValue", "ObjectMapper.writeValueAsBytes",
            "HikariPool.getConnection", "Dispatcher.run", "HandlerRegistration.run", "JobRows.read",
            "JobRows.setMutable", "PostgresJobStore.claim", "PostgresJobStore.replace", "Notifications.send");

    /** One statement's share of the measured run, from {@code pg_stat_statements}. */
    record StatementStats(String query, long calls, long rows, double totalMillis) {
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
            System.out.printf(Locale.ROOT, "    %.2f statements/job, %.3f ms server execution/job, %.0f us JVM CPU/job,"
                    + " machine %.0f %% busy%n", r.statementsPerJob(), r.serverMillisPerJob(), r.jvmCpuMicrosPerJob(),
                    r.machineBusyPercent());
            System.out.printf(Locale.ROOT, "    backlog of %,d: %,.0f jobs/s, %.2f statements/job, %.0f us JVM CPU/job%n",
                    r.backlog().jobs(), r.backlog().jobsPerSecond(), r.backlog().statementsPerJob(),
                    r.backlog().jvmCpuMicrosPerJob());
            System.out.println("    " + r.backlog().profile());
            r.statements().stream().limit(8).forEach(st -> System.out.printf(Locale.ROOT, "    %6.2f/job %8.3f ms %s%n",
                    st.calls() / (double) r.jobs(), st.totalMillis() / Math.max(1, st.calls()),
                    st.query().substring(0, Math.min(100, st.query().length()))));
        }
    }

    static Map<String, Result> measureAll(int jobs) throws Exception {
        Map<String, Result> results = new LinkedHashMap<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "200")
                .setServerConfig("shared_preload_libraries", "pg_stat_statements").start()) {
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            }
            List<java.util.function.Supplier<Contender>> contenders = List.of(Contender.AcceptedOnPostgres::new,
                    Contender.DbScheduler::new, Contender.JobRunr::new);
            for (java.util.function.Supplier<Contender> contender : contenders) {
                Result result = measure(postgres, contender.get(), jobs);
                results.put(result.name(), result.withBacklog(backlog(postgres, contender.get(), jobs)));
            }
        }
        return results;
    }

    /** Creates {@code database} anew and opens a pool on it for each of the {@link #INSTANCES}. */
    private static List<HikariDataSource> freshDatabase(EmbeddedPostgres postgres, String database) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database);
            s.execute("CREATE DATABASE " + database);
        }
        List<HikariDataSource> pools = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database);
            config.setUsername("postgres");
            config.setMaximumPoolSize(WORKERS + 4);
            config.setPoolName(database + "-" + i);
            pools.add(new HikariDataSource(config));
        }
        return pools;
    }

    static Result measure(EmbeddedPostgres postgres, Contender contender, int jobs) throws Exception {
        String database = "bench_" + contender.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        List<HikariDataSource> pools = freshDatabase(postgres, database);
        try {
            contender.start(pools, WORKERS);
            Map<String, Long> submitted = new ConcurrentHashMap<>();
            run(contender, pools.get(0), WARM_UP, submitted);
            submitted.clear();
            STARTED.clear();
            resetStatements(postgres);
            long cpuBefore = processCpuNanos();
            long[] machineBefore = machineTicks();
            long begin = System.nanoTime();
            run(contender, pools.get(0), jobs, submitted);
            double seconds = (System.nanoTime() - begin) / 1e9;
            double cpuMicrosPerJob = (processCpuNanos() - cpuBefore) / 1e3 / jobs;
            long[] machineAfter = machineTicks();
            double busy = machineAfter[0] == machineBefore[0] ? Double.NaN
                    : 100.0 * (machineAfter[1] - machineBefore[1]) / (machineAfter[0] - machineBefore[0]);
            List<StatementStats> statements = statements(postgres, database);
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
                    percentile(loaded, 99), idleJobs, percentile(idle, 50), percentile(idle, 99), missed, statements,
                    cpuMicrosPerJob, busy, null);
        } finally {
            contender.close();
            pools.forEach(HikariDataSource::close);
            STARTED.clear();
        }
    }

    static Backlog backlog(EmbeddedPostgres postgres, Contender contender, int jobs) throws Exception {
        String database = "backlog_" + contender.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        List<HikariDataSource> pools = freshDatabase(postgres, database);
        try {
            contender.enqueueWithoutWorkers(pools.get(0), jobs);
            STARTED.clear();
            resetStatements(postgres);
            long cpuBefore = processCpuNanos();
            long[] end = new long[1];
            CpuProfile.Shares profile = CpuProfile.of("", PROFILED, () -> {
                contender.start(pools, WORKERS);
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                while (succeeded(contender, pools.get(0)) < jobs) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(contender.name() + ": the backlog did not drain in 10 minutes");
                    }
                    Thread.sleep(10);
                }
                end[0] = System.nanoTime();
                return null;
            });
            double cpuMicrosPerJob = (processCpuNanos() - cpuBefore) / 1e3 / jobs;
            long first = STARTED.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            List<StatementStats> statements = statements(postgres, database);
            double statementsPerJob = statements.stream().mapToLong(StatementStats::calls).sum() / (double) jobs;
            return new Backlog(jobs, jobs / ((end[0] - first) / 1e9), statementsPerJob, cpuMicrosPerJob, profile);
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

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** {total, busy} CPU ticks of the whole machine since boot (Linux {@code /proc/stat}); zeros elsewhere. */
    private static long[] machineTicks() {
        try {
            String[] fields = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim()
                    .split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]); // idle + iowait
            return new long[] {total, total - idle};
        } catch (java.io.IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static void resetStatements(EmbeddedPostgres postgres) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /**
     * What the contender ran in {@code database} during the measured run, most frequent first;
     * the benchmark's own polling for the succeeded count is left out.
     */
    private static List<StatementStats> statements(EmbeddedPostgres postgres, String database) throws Exception {
        List<StatementStats> statements = new ArrayList<>();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             java.sql.PreparedStatement s = c.prepareStatement("SELECT regexp_replace(query, '\\s+', ' ', 'g'), calls, "
                     + "rows, total_exec_time FROM pg_stat_statements p JOIN pg_database d ON d.oid = p.dbid "
                     + "WHERE d.datname = ? AND query NOT LIKE '%" + Contender.SUCCEEDED_MARK + "%' "
                     + "ORDER BY calls DESC, total_exec_time DESC")) {
            s.setString(1, database);
            try (java.sql.ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    statements.add(new StatementStats(rows.getString(1), rows.getLong(2), rows.getLong(3),
                            rows.getDouble(4)));
                }
            }
        }
        return statements;
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
