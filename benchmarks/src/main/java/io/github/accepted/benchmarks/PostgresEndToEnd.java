package io.github.accepted.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
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
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * No-op jobs from submit to succeeded on one embedded PostgreSQL, for Accepted and for the
 * schedulers a user would pick instead ({@link Contender}): two instances with 10 workers each,
 * each in its own database on the same server, run one after the other. Measured for each:
 * jobs per second with 2 serial submitters and with 64 concurrent ones, a backlog drained,
 * pickup latency (submit to handler start) and submit latency (call to return, which is after
 * the commit for each system here) under load and when idle. Run once with the embedded
 * server's defaults ({@code fsync} and {@code synchronous_commit} off) and once with both on.
 *
 * <p>Run alone: {@code java -cp … io.github.accepted.benchmarks.PostgresEndToEnd [jobs [off,on
 * [Accepted,db-scheduler,JobRunr]]]}; prints the results and the markdown section.
 */
final class PostgresEndToEnd {

    static final int INSTANCES = 2;
    static final int WORKERS = 10;
    static final int WARM_UP = 2_000;
    static final int SUBMITTERS = 2;
    static final int MANY_SUBMITTERS = 64;

    /** How the server commits. */
    enum Durability {
        OFF("off", "`fsync` and `synchronous_commit` off (the embedded server's default)"),
        ON("on", "`fsync` and `synchronous_commit` on (commits wait for the disk)");

        final String flag;
        final String description;

        Durability(String flag, String description) {
            this.flag = flag;
            this.description = description;
        }
    }

    /** One run of {@code jobs} jobs submitted by {@code submitters} threads at once, until all succeeded. */
    record Load(
            int submitters,
            int jobs,
            double jobsPerSecond,
            double pickupP50Ms,
            double pickupP99Ms,
            double submitP50Ms,
            double submitP99Ms,
            List<StatementStats> statements,
            double jvmCpuMicrosPerJob,
            double machineBusyPercent,
            CpuProfile.Shares profile)
            implements Serializable {

        double statementsPerJob() {
            return statements.stream().mapToLong(StatementStats::calls).sum() / (double) jobs;
        }

        double serverMillisPerJob() {
            return statements.stream().mapToDouble(StatementStats::totalMillis).sum() / jobs;
        }
    }

    /** Single jobs, 50 ms apart. */
    record Idle(int jobs, double pickupP50Ms, double pickupP99Ms, double submitP50Ms, double submitP99Ms, int missed)
            implements Serializable {}

    /**
     * A backlog drained: {@code jobs} queued before any worker ran, then the instances started;
     * timed from the first handler start to the last job recorded as succeeded.
     */
    record Backlog(
            int jobs,
            double jobsPerSecond,
            double statementsPerJob,
            double jvmCpuMicrosPerJob,
            CpuProfile.Shares profile)
            implements Serializable {}

    /** What was measured for one contender; {@code loadAverage}: the machine's before and after. */
    record Result(
            String name,
            String configuration,
            String loadAverage,
            Load serial,
            Load concurrent,
            Idle idle,
            Backlog backlog)
            implements Serializable {}

    /** Every contender at one durability. */
    record Suite(Durability durability, Map<String, Result> results) {}

    /** Methods whose share of the JVM's CPU samples is reported while a backlog drains. */
    static final List<String> PROFILED = List.of(
            "QueryExecutorImpl.execute",
            "PgPreparedStatement.setTimestamp",
            "PgResultSet.getObject",
            "ObjectMapper.readValue",
            "ObjectMapper.writeValueAsBytes",
            "HikariPool.getConnection",
            "Accepted.submitJson",
            "Dispatcher.submit",
            "Dispatcher.run",
            "Dispatcher.drain",
            "HandlerRegistration.run",
            "JobRows.read",
            "JobRows.setMutable",
            "PostgresJobStore.createClaimed",
            "PostgresJobStore.create",
            "PostgresJobStore.claim",
            "PostgresJobStore.replace",
            "Notifications.send");

    /** One statement's share of the measured run, from {@code pg_stat_statements}. */
    record StatementStats(String query, long calls, long rows, double totalMillis) implements Serializable {}

    /** The server every system runs against: its port, and its {@code postgres} database for administration. */
    record Server(int port, DataSource admin) {

        static Server at(int port) {
            PGSimpleDataSource admin = new PGSimpleDataSource();
            admin.setServerNames(new String[] {"localhost"});
            admin.setPortNumbers(new int[] {port});
            admin.setDatabaseName("postgres");
            admin.setUser("postgres");
            return new Server(port, admin);
        }
    }

    /** Times handlers start, by job key; shared by every contender's handler. */
    static final Map<String, Long> STARTED = new ConcurrentHashMap<>();

    private PostgresEndToEnd() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 5 && args[0].equals(CHILD)) {
            measureOne(
                    Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]));
            System.exit(0); // the systems' non-daemon threads must not keep this JVM alive
        }
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        List<Durability> durabilities = args.length > 1
                ? java.util.Arrays.stream(args[1].split(","))
                        .map(f -> f.equals("on") ? Durability.ON : Durability.OFF)
                        .toList()
                : List.of(Durability.values());
        List<String> names = args.length > 2 ? List.of(args[2].split(",")) : List.of();
        List<Suite> suites = measureAll(jobs, durabilities, names);
        for (Suite suite : suites) {
            System.out.println("== " + suite.durability().description);
            for (Result r : suite.results().values()) {
                System.out.println(r.name() + "  (load average " + r.loadAverage() + ")");
                for (Load l : List.of(r.serial(), r.concurrent())) {
                    System.out.printf(
                            Locale.ROOT,
                            "  %2d submitters: %,8.0f jobs/s  pickup p50/p99 %.1f/%.1f ms  submit "
                                    + "p50/p99 %.2f/%.2f ms  %.2f statements/job  %.0f us JVM CPU/job  machine %.0f %% busy%n",
                            l.submitters(),
                            l.jobsPerSecond(),
                            l.pickupP50Ms(),
                            l.pickupP99Ms(),
                            l.submitP50Ms(),
                            l.submitP99Ms(),
                            l.statementsPerJob(),
                            l.jvmCpuMicrosPerJob(),
                            l.machineBusyPercent());
                    l.statements().stream()
                            .limit(6)
                            .forEach(st -> System.out.printf(
                                    Locale.ROOT,
                                    "      %6.2f/job %8.3f ms %s%n",
                                    st.calls() / (double) l.jobs(),
                                    st.totalMillis() / Math.max(1, st.calls()),
                                    st.query()
                                            .substring(
                                                    0, Math.min(100, st.query().length()))));
                }
                Idle i = r.idle();
                System.out.printf(
                        Locale.ROOT,
                        "  idle: pickup p50/p99 %.1f/%.1f ms  submit p50/p99 %.2f/%.2f ms (%d jobs, "
                                + "%d not started in 15 s)%n",
                        i.pickupP50Ms(),
                        i.pickupP99Ms(),
                        i.submitP50Ms(),
                        i.submitP99Ms(),
                        i.jobs(),
                        i.missed());
                System.out.printf(
                        Locale.ROOT,
                        "  backlog of %,d: %,.0f jobs/s, %.2f statements/job, %.0f us JVM CPU/job%n",
                        r.backlog().jobs(),
                        r.backlog().jobsPerSecond(),
                        r.backlog().statementsPerJob(),
                        r.backlog().jvmCpuMicrosPerJob());
                System.out.println("    backlog " + r.backlog().profile());
                System.out.println("    64 submitters " + r.concurrent().profile());
            }
        }
        System.out.println();
        markdown(suites, "java -cp … io.github.accepted.benchmarks.PostgresEndToEnd " + String.join(" ", args))
                .forEach(System.out::println);
    }

    static List<Suite> measureAll(int jobs, List<Durability> durabilities, List<String> names) throws Exception {
        List<Suite> suites = new ArrayList<>();
        for (Durability durability : durabilities) {
            suites.add(new Suite(durability, measureAll(jobs, durability, names)));
        }
        return suites;
    }

    /** The systems, in the order they run. */
    private static final List<java.util.function.Supplier<Contender>> CONTENDERS =
            List.of(Contender.AcceptedOnPostgres::new, Contender.DbScheduler::new, Contender.JobRunr::new);

    /**
     * Runs each system in a JVM of its own against one server. In one JVM, the systems that ran
     * later changed the type profiles of the driver's code the earlier ones had compiled: the JIT
     * compiler recompiled (7 compilations of 100 to 800 ms within one 4-second run of the first
     * suite, none in the second), took CPU from every system, and was counted as the measured
     * system's JVM CPU. A system deployed alone does not pay for that.
     */
    static Map<String, Result> measureAll(int jobs, Durability durability, List<String> names) throws Exception {
        Map<String, Result> results = new LinkedHashMap<>();
        try (EmbeddedPostgres postgres = startServer(durability.flag)) {
            for (int i = 0; i < CONTENDERS.size(); i++) {
                String name = CONTENDERS.get(i).get().name();
                if (!names.isEmpty() && !names.contains(name)) {
                    continue;
                }
                String before = loadAverage();
                Result measured = inOwnJvm(postgres.getPort(), jobs, i);
                results.put(
                        name,
                        new Result(
                                measured.name(),
                                measured.configuration(),
                                before + " → " + loadAverage(),
                                measured.serial(),
                                measured.concurrent(),
                                measured.idle(),
                                measured.backlog()));
            }
        }
        return results;
    }

    /**
     * An embedded server with {@code fsync} and {@code synchronous_commit} both {@code flag}
     * ({@code on} or {@code off}, checked) and {@code pg_stat_statements} for the statement counts.
     */
    static EmbeddedPostgres startServer(String flag) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("fsync", flag)
                .setServerConfig("synchronous_commit", flag)
                .start();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            for (String setting : List.of("fsync", "synchronous_commit")) {
                try (ResultSet shown = s.executeQuery("SHOW " + setting)) {
                    shown.next();
                    if (!shown.getString(1).equals(flag)) {
                        throw new IllegalStateException(setting + " is " + shown.getString(1) + ", not " + flag);
                    }
                }
            }
        } catch (Exception | Error e) {
            postgres.close();
            throw e;
        }
        return postgres;
    }

    /** Runs {@link #measureOne} in a new JVM with this one's options and class path; returns what it measured. */
    private static Result inOwnJvm(int port, int jobs, int contender) throws Exception {
        Path answer = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "accepted-bench", ".ser");
        try {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.addAll(List.of(
                    "-cp",
                    System.getProperty("java.class.path"),
                    PostgresEndToEnd.class.getName(),
                    CHILD,
                    String.valueOf(port),
                    String.valueOf(jobs),
                    String.valueOf(contender),
                    answer.toString()));
            Process child = new ProcessBuilder(command).inheritIO().start();
            if (!child.waitFor(30, TimeUnit.MINUTES)) {
                child.destroyForcibly();
                throw new IllegalStateException("a benchmark JVM did not finish in 30 minutes");
            }
            if (child.exitValue() != 0) {
                throw new IllegalStateException("a benchmark JVM failed with exit code " + child.exitValue());
            }
            try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(answer))) {
                return (Result) in.readObject();
            }
        } finally {
            Files.deleteIfExists(answer);
        }
    }

    /** The first argument of a JVM started by {@link #inOwnJvm}. */
    private static final String CHILD = "--one-system";

    /**
     * In a JVM of its own: warms up and measures one system against the server at {@code port},
     * and writes the result to {@code answer}.
     */
    private static void measureOne(int port, int jobs, int index, Path answer) throws Exception {
        Server postgres = Server.at(port);
        java.util.function.Supplier<Contender> contender = CONTENDERS.get(index);
        Contender first = contender.get();
        int scaled = first.jobs(jobs);
        Result measured = measure(postgres, first, scaled);
        // a smaller backlog first, not measured: the drain's own paths (claims with outcomes) are compiled
        // by the JIT before the measured one, which lasts only seconds
        backlog(postgres, contender.get(), scaled / 2, false);
        Backlog backlog = backlog(postgres, contender.get(), scaled, true);
        Result result = new Result(
                measured.name(),
                measured.configuration(),
                "",
                measured.serial(),
                measured.concurrent(),
                measured.idle(),
                backlog);
        try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(answer))) {
            out.writeObject(result);
        }
    }

    /** Creates {@code database} anew and opens a pool on it for each of the {@link #INSTANCES}. */
    private static List<HikariDataSource> freshDatabase(Server postgres, String database) throws Exception {
        try (Connection c = postgres.admin().getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database);
            s.execute("CREATE DATABASE " + database);
        }
        List<HikariDataSource> pools = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl("jdbc:postgresql://localhost:" + postgres.port() + "/" + database);
            config.setUsername("postgres");
            config.setMaximumPoolSize(WORKERS + 4);
            config.setPoolName(database + "-" + i);
            pools.add(new HikariDataSource(config));
        }
        return pools;
    }

    static Result measure(Server postgres, Contender contender, int jobs) throws Exception {
        String database = "bench_" + contender.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        List<HikariDataSource> pools = freshDatabase(postgres, database);
        try {
            contender.start(pools, WORKERS);
            // the warm-up takes both paths measured below, so that neither run pays for the JIT compiler's work
            // (the first system of the first suite otherwise did: twice the JVM CPU per job of its later runs)
            int warmUp = Math.min(WARM_UP, jobs / 2) / MANY_SUBMITTERS * MANY_SUBMITTERS;
            run(contender, pools.get(0), warmUp, SUBMITTERS, new ConcurrentHashMap<>(), new ArrayList<>());
            run(contender, pools.get(0), warmUp, MANY_SUBMITTERS, new ConcurrentHashMap<>(), new ArrayList<>());
            STARTED.clear();
            Load serial = load(postgres, database, contender, pools.get(0), jobs, SUBMITTERS, false);
            Load concurrent = load(postgres, database, contender, pools.get(0), jobs, MANY_SUBMITTERS, true);
            Map<String, Long> submitted = new ConcurrentHashMap<>();
            List<Double> submitMillis = new ArrayList<>();
            int idleJobs = contender.idleSamples();
            int missed = 0;
            for (int i = 0; i < idleJobs; i++) {
                Thread.sleep(50);
                long at = System.nanoTime();
                String key = contender.submit(i % INSTANCES);
                submitMillis.add((System.nanoTime() - at) / 1e6);
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
            submitMillis.sort(Double::compare);
            return new Result(
                    contender.name(),
                    contender.configuration(),
                    "",
                    serial,
                    concurrent,
                    new Idle(
                            idleJobs,
                            percentile(idle, 50),
                            percentile(idle, 99),
                            percentile(submitMillis, 50),
                            percentile(submitMillis, 99),
                            missed),
                    null);
        } finally {
            contender.close();
            pools.forEach(HikariDataSource::close);
            STARTED.clear();
        }
    }

    /** Submits {@code jobs} from {@code submitters} threads and waits until all succeeded; profiled if asked. */
    private static Load load(
            Server postgres,
            String database,
            Contender contender,
            HikariDataSource pool,
            int requested,
            int submitters,
            boolean profiled)
            throws Exception {
        int jobs = requested / submitters * submitters;
        Map<String, Long> submitted = new ConcurrentHashMap<>();
        List<Double> submitMillis = new ArrayList<>();
        STARTED.clear();
        resetStatements(postgres);
        long cpuBefore = processCpuNanos();
        long[] machineBefore = machineTicks();
        long[] took = new long[1];
        java.util.concurrent.Callable<Void> work = () -> {
            long begin = System.nanoTime();
            run(contender, pool, jobs, submitters, submitted, submitMillis);
            took[0] = System.nanoTime() - begin;
            return null;
        };
        CpuProfile.Shares profile = profiled ? CpuProfile.of("", PROFILED, work) : null;
        if (profile == null) {
            work.call();
        }
        double cpuMicrosPerJob = (processCpuNanos() - cpuBefore) / 1e3 / jobs;
        long[] machineAfter = machineTicks();
        double busy = machineAfter[0] == machineBefore[0]
                ? Double.NaN
                : 100.0 * (machineAfter[1] - machineBefore[1]) / (machineAfter[0] - machineBefore[0]);
        List<StatementStats> statements = statements(postgres, database);
        List<Double> pickups = pickups(submitted);
        submitMillis.sort(Double::compare);
        return new Load(
                submitters,
                jobs,
                jobs / (took[0] / 1e9),
                percentile(pickups, 50),
                percentile(pickups, 99),
                percentile(submitMillis, 50),
                percentile(submitMillis, 99),
                statements,
                cpuMicrosPerJob,
                busy,
                profile);
    }

    static Backlog backlog(Server postgres, Contender contender, int jobs, boolean profiled) throws Exception {
        String database = "backlog_" + contender.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        List<HikariDataSource> pools = freshDatabase(postgres, database);
        try {
            contender.enqueueWithoutWorkers(pools.get(0), jobs);
            STARTED.clear();
            resetStatements(postgres);
            long cpuBefore = processCpuNanos();
            long[] end = new long[1];
            java.util.concurrent.Callable<Void> drain = () -> {
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
            };
            CpuProfile.Shares profile = profiled ? CpuProfile.of("", PROFILED, drain) : null;
            if (profile == null) {
                drain.call();
            }
            double cpuMicrosPerJob = (processCpuNanos() - cpuBefore) / 1e3 / jobs;
            long first =
                    STARTED.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            List<StatementStats> statements = statements(postgres, database);
            double statementsPerJob =
                    statements.stream().mapToLong(StatementStats::calls).sum() / (double) jobs;
            return new Backlog(jobs, jobs / ((end[0] - first) / 1e9), statementsPerJob, cpuMicrosPerJob, profile);
        } finally {
            contender.close();
            pools.forEach(HikariDataSource::close);
            STARTED.clear();
        }
    }

    /**
     * Submits {@code jobs} from {@code submitters} threads at once (alternating between the
     * instances), each one job after the other; records each submit's duration; waits until all
     * succeeded.
     */
    private static void run(
            Contender contender,
            HikariDataSource pool,
            int jobs,
            int submitters,
            Map<String, Long> submitted,
            List<Double> submitMillis)
            throws Exception {
        long before = succeeded(contender, pool);
        CountDownLatch ready = new CountDownLatch(submitters);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(submitters);
        AtomicLong failures = new AtomicLong();
        int each = jobs / submitters;
        int total = each * submitters;
        double[][] durations = new double[submitters][each];
        for (int t = 0; t < submitters; t++) {
            int instance = t % INSTANCES;
            int thread = t;
            new Thread(
                            () -> {
                                try {
                                    ready.countDown();
                                    go.await();
                                    for (int i = 0; i < each; i++) {
                                        long at = System.nanoTime();
                                        String key = contender.submit(instance);
                                        durations[thread][i] = (System.nanoTime() - at) / 1e6;
                                        submitted.put(key, at);
                                    }
                                } catch (Exception e) {
                                    failures.incrementAndGet();
                                    e.printStackTrace();
                                } finally {
                                    done.countDown();
                                }
                            },
                            "submitter-" + t)
                    .start();
        }
        ready.await();
        go.countDown();
        done.await();
        if (failures.get() > 0) {
            throw new IllegalStateException(contender.name() + ": submitting failed");
        }
        for (double[] thread : durations) {
            for (double d : thread) {
                submitMillis.add(d);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (succeeded(contender, pool) - before < total) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(contender.name() + ": jobs did not finish in 10 minutes");
            }
            Thread.sleep(5);
        }
    }

    /** The machine's 1-minute load average ({@code /proc/loadavg}); "?" elsewhere. */
    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .split(" ", -1)[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** {total, busy} CPU ticks of the whole machine since boot (Linux {@code /proc/stat}); zeros elsewhere. */
    private static long[] machineTicks() {
        try {
            String[] fields = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat"))
                    .get(0)
                    .trim()
                    .split("\\s+", -1);
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

    private static void resetStatements(Server postgres) throws Exception {
        try (Connection c = postgres.admin().getConnection();
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /**
     * What the contender ran in {@code database} during the measured run, most frequent first;
     * the benchmark's own polling for the succeeded count is left out.
     */
    private static List<StatementStats> statements(Server postgres, String database) throws Exception {
        List<StatementStats> statements = new ArrayList<>();
        try (Connection c = postgres.admin().getConnection();
                java.sql.PreparedStatement s =
                        c.prepareStatement("SELECT regexp_replace(query, '\\s+', ' ', 'g'), calls, "
                                + "rows, total_exec_time FROM pg_stat_statements p JOIN pg_database d ON d.oid = p.dbid "
                                + "WHERE d.datname = ? AND query NOT LIKE '%" + Contender.SUCCEEDED_MARK + "%' "
                                + "ORDER BY calls DESC, total_exec_time DESC")) {
            s.setString(1, database);
            try (java.sql.ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    statements.add(
                            new StatementStats(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getDouble(4)));
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

    /** The "PostgreSQL end to end" section of docs/benchmarks.md. */
    static List<String> markdown(List<Suite> suites, String command) {
        List<String> md = new ArrayList<>();
        md.add("## PostgreSQL end to end");
        md.add("");
        Result any = suites.get(0).results().values().iterator().next();
        md.add(String.format(
                Locale.ROOT,
                "No-op jobs from submit to succeeded (as recorded in the database) on one "
                        + "embedded PostgreSQL 14 on the same machine, for each system in its own database on that server, one "
                        + "system after the other: %d instances with %d workers each. Runs: %,d jobs submitted one at a time by "
                        + "%d threads (one per instance), then %,d by %d threads at once (half on each instance, as request "
                        + "threads of busy web servers would), each system in a JVM of its own (in one JVM, each system made the JIT compiler "
                        + "recompile the driver code the others had compiled), after a warm-up that takes both paths (up to "
                        + "1,984 jobs from 2 threads, then as many from 64), and a backlog of half the size drained, unmeasured, "
                        + "before the measured one; a backlog of %,d queued before the workers "
                        + "start; single jobs 50 ms apart (idle). Pickup: submit to handler start. Submit: the client call, "
                        + "from call to return, which is after the job's row has committed for each system here. JobRunr, "
                        + "much slower, runs a fifth of the jobs. Command: `%s`.",
                INSTANCES,
                WORKERS,
                any.serial().jobs(),
                SUBMITTERS,
                any.concurrent().jobs(),
                MANY_SUBMITTERS,
                any.backlog().jobs(),
                command));
        for (Suite suite : suites) {
            Map<String, Result> results = suite.results();
            md.add("");
            md.add("### " + (suite.durability() == Durability.OFF ? "Fast commits: " : "Durable commits: ")
                    + suite.durability().description);
            md.add("");
            md.add("| | 2 submitters (jobs/s) | 64 submitters (jobs/s) | backlog drained (jobs/s) | pickup p50 / p99 "
                    + "idle (ms) | pickup p50 / p99, 64 submitters (ms) | submit p50 / p99 idle (ms) | submit p50 / p99, "
                    + "2 submitters (ms) | submit p50 / p99, 64 submitters (ms) | load average |");
            md.add("|---|---|---|---|---|---|---|---|---|---|");
            for (Result r : results.values()) {
                md.add(String.format(
                        Locale.ROOT,
                        "| %s | %,.0f | %,.0f | %,.0f | %.1f / %.1f%s | %.1f / %.1f | %.2f / %.2f "
                                + "| %.2f / %.2f | %.2f / %.2f | %s |",
                        r.name(),
                        r.serial().jobsPerSecond(),
                        r.concurrent().jobsPerSecond(),
                        r.backlog().jobsPerSecond(),
                        r.idle().pickupP50Ms(),
                        r.idle().pickupP99Ms(),
                        r.idle().missed() > 0 ? " (" + r.idle().missed() + " missed)" : "",
                        r.concurrent().pickupP50Ms(),
                        r.concurrent().pickupP99Ms(),
                        r.idle().submitP50Ms(),
                        r.idle().submitP99Ms(),
                        r.serial().submitP50Ms(),
                        r.serial().submitP99Ms(),
                        r.concurrent().submitP50Ms(),
                        r.concurrent().submitP99Ms(),
                        r.loadAverage()));
            }
            Result ours = results.get("Accepted");
            Result dbScheduler = results.get("db-scheduler");
            if (ours != null && dbScheduler != null) {
                md.add("");
                md.add(String.format(
                        Locale.ROOT,
                        "- Backlog drain: **%.2fx** db-scheduler (target: at least 3x).",
                        ours.backlog().jobsPerSecond() / dbScheduler.backlog().jobsPerSecond()));
                md.add(String.format(
                        Locale.ROOT,
                        "- 64 submitters end to end: **%.2fx** db-scheduler (target: at least 3x).",
                        ours.concurrent().jobsPerSecond()
                                / dbScheduler.concurrent().jobsPerSecond()));
                md.add(String.format(
                        Locale.ROOT,
                        "- 2 serial submitters end to end: **%.2fx** db-scheduler.",
                        ours.serial().jobsPerSecond() / dbScheduler.serial().jobsPerSecond()));
                md.add(String.format(
                        Locale.ROOT,
                        "- Accepted idle pickup p50: **%.1f ms** (target: under 5 ms); idle " + "submit p50 %.2f ms.",
                        ours.idle().pickupP50Ms(),
                        ours.idle().submitP50Ms()));
            }
            md.add("");
            md.add(
                    "| | statements per job, 64 submitters | server execution per job (ms) | JVM CPU per job, 64 "
                            + "submitters (µs) | statements per job, backlog | JVM CPU per job, backlog (µs) | machine CPU busy |");
            md.add("|---|---|---|---|---|---|---|");
            for (Result r : results.values()) {
                md.add(String.format(
                        Locale.ROOT,
                        "| %s | %.2f | %.3f | %,.0f | %.2f | %,.0f | %.0f %% |",
                        r.name(),
                        r.concurrent().statementsPerJob(),
                        r.concurrent().serverMillisPerJob(),
                        r.concurrent().jvmCpuMicrosPerJob(),
                        r.backlog().statementsPerJob(),
                        r.backlog().jvmCpuMicrosPerJob(),
                        r.concurrent().machineBusyPercent()));
            }
            md.add("");
            md.add("Java Flight Recorder samples of the benchmark JVM (every thread; the database runs in its own "
                    + "processes) while the backlog drains and during the 64-submitter run: share of the samples whose "
                    + "stack passes through each method (shares nest; blank: not seen).");
            md.add("");
            List<String> columns = new ArrayList<>();
            List<CpuProfile.Shares> profiles = new ArrayList<>();
            for (Result r : results.values()) {
                columns.add(r.name() + ", backlog");
                profiles.add(r.backlog().profile());
                columns.add(r.name() + ", 64 submitters");
                profiles.add(r.concurrent().profile());
            }
            md.add("| | " + String.join(" | ", columns) + " |");
            md.add("|---|" + "---|".repeat(columns.size()));
            md.add("| JVM samples | "
                    + String.join(
                            " | ",
                            profiles.stream()
                                    .map(p -> String.valueOf(p.samples()))
                                    .toList()) + " |");
            for (String method : PROFILED) {
                List<String> cells = new ArrayList<>();
                boolean seen = false;
                for (CpuProfile.Shares profile : profiles) {
                    double share = profile.percentByMethod().getOrDefault(method, 0.0);
                    seen |= share > 0;
                    cells.add(share > 0 ? String.format(Locale.ROOT, "%.0f %%", share) : "");
                }
                if (seen) {
                    md.add("| `" + method + "` | " + String.join(" | ", cells) + " |");
                }
            }
            md.add("");
            md.add("The most frequent statements of the 64-submitter run (`pg_stat_statements`, the benchmark's own "
                    + "progress queries left out):");
            md.add("");
            md.add("| system | per job | mean (ms) | statement |");
            md.add("|---|---|---|---|");
            for (Result r : results.values()) {
                r.concurrent().statements().stream()
                        .limit(5)
                        .forEach(st -> md.add(String.format(
                                Locale.ROOT,
                                "| %s | %.2f | %.3f | `%s` |",
                                r.name(),
                                st.calls() / (double) r.concurrent().jobs(),
                                st.totalMillis() / Math.max(1, st.calls()),
                                abbreviate(st.query(), 90))));
            }
        }
        md.add("");
        md.add("How each was configured:");
        md.add("");
        for (Result r : suites.get(0).results().values()) {
            md.add("- " + r.name() + ": " + r.configuration());
        }
        return md;
    }

    private static String abbreviate(String text, int max) {
        String flat = text.replace('|', '/').replace('`', '\'');
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }

    static double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
