package io.github.accepted.benchmarks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accepted.Accepted;
import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.Payload;
import io.github.accepted.postgres.PostgresJobStore;
import io.github.accepted.spi.JobExecutor;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * A job system measured by {@link PostgresEndToEnd}: started as {@code instances} instances on
 * their own connection pools to one database, each with {@code workers} workers, running a
 * no-op job that records when it started.
 */
interface Contender extends AutoCloseable {

    String name();

    /** How it is configured, for the table. */
    String configuration();

    void start(List<HikariDataSource> pools, int workers) throws Exception;

    /**
     * Queues {@code jobs} no-op jobs through the system's client API before any worker runs
     * (for the backlog measurement); {@link #start} comes after.
     */
    void enqueueWithoutWorkers(HikariDataSource pool, int jobs) throws Exception;

    /** Submits one no-op job through instance {@code instance}; returns the key its handler reports. */
    String submit(int instance) throws Exception;

    /** How many jobs have been recorded as succeeded, by a query on {@code connection}. */
    long succeeded(Connection connection) throws Exception;

    /** How many jobs to run where {@code requested} are asked for (fewer for slow systems). */
    default int jobs(int requested) {
        return requested;
    }

    /** How many single jobs to time when idle (fewer for slow pollers). */
    default int idleSamples() {
        return 100;
    }

    @Override
    void close();

    /** Marks the benchmark's own queries, to leave them out of the statement counts. */
    String SUCCEEDED_MARK = "accepted-benchmark-count";

    static long count(Connection connection, String query) throws Exception {
        try (Statement s = connection.createStatement();
                ResultSet rows = s.executeQuery("/* " + SUCCEEDED_MARK + " */ " + query)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Accepted with its PostgreSQL store, defaults but for the queue bound (the whole run queues at once). */
    final class AcceptedOnPostgres implements Contender {

        private final List<Accepted> engines = new ArrayList<>();
        private final int prefetch;

        AcceptedOnPostgres() {
            // db-scheduler holds up to 4 x its 10 threads = 40 jobs per instance, running or waiting (its
            // lock-and-fetch upper limit); 10 workers and 30 prefetched hold as many. The default is 0, for long jobs
            this(30);
        }

        AcceptedOnPostgres(int prefetch) {
            this.prefetch = prefetch;
        }

        @Override
        public String name() {
            return "Accepted";
        }

        @Override
        public String configuration() {
            return "`PostgresJobStore` defaults (LISTEN/NOTIFY on, 10 s lease), `maxQueued(100_000)`, "
                    + "`JobExecutor.fixedThreadPool(10)`, engine defaults but `prefetch(" + prefetch
                    + ")` (the default is 0) where the engine has it";
        }

        @Override
        public void start(List<HikariDataSource> pools, int workers) {
            int n = 0;
            for (HikariDataSource pool : pools) {
                engines.add(Accepted.builder()
                        .store(PostgresJobStore.builder(pool)
                                .instanceId("instance-" + n++)
                                .maxQueued(100_000)
                                .build())
                        .executor(JobExecutor.fixedThreadPool(workers))
                        .prefetch(prefetch)
                        .handler("noop", EngineBenchmarks.Noop.class, (input, context) -> {
                            PostgresEndToEnd.STARTED.put(context.jobId().value(), System.nanoTime());
                            return input.n();
                        })
                        .build());
            }
        }

        @Override
        public String submit(int instance) {
            return engines.get(instance).submitJson("noop", "", NOOP_INPUT).id().value();
        }

        /** Straight into the store, as the engine queues a job when no worker is free. */
        @Override
        public void enqueueWithoutWorkers(HikariDataSource pool, int jobs) {
            try (PostgresJobStore store = PostgresJobStore.builder(pool)
                    .instanceId("loader")
                    .maxQueued(100_000)
                    .listen(false)
                    .build()) {
                for (int i = 0; i < jobs; i++) {
                    store.create(Job.queued(JobId.random(), "noop", "", Payload.json("{\"n\":1}"), Instant.now()));
                }
            }
        }

        private static final byte[] NOOP_INPUT = "{\"n\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        @Override
        public long succeeded(Connection connection) throws Exception {
            return count(connection, "SELECT count(*) FROM accepted_jobs WHERE status = 'succeeded'");
        }

        @Override
        public void close() {
            engines.forEach(Accepted::close);
        }
    }

    /**
     * db-scheduler as its README advises for throughput: lock-and-fetch polling
     * ({@code SELECT … FOR UPDATE SKIP LOCKED}) with fractions 1.0/4.0 to keep threads busy, and
     * immediate execution so that a job scheduled for now is looked for at once.
     */
    final class DbScheduler implements Contender {

        private static final String TABLE = """
                CREATE TABLE IF NOT EXISTS scheduled_tasks (
                  task_name text NOT NULL,
                  task_instance text NOT NULL,
                  task_data bytea,
                  execution_time timestamptz NOT NULL,
                  picked boolean NOT NULL,
                  picked_by text,
                  last_success timestamptz,
                  last_failure timestamptz,
                  consecutive_failures int,
                  last_heartbeat timestamptz,
                  version bigint NOT NULL,
                  priority smallint,
                  PRIMARY KEY (task_name, task_instance));
                CREATE INDEX IF NOT EXISTS execution_time_idx ON scheduled_tasks (execution_time);
                CREATE INDEX IF NOT EXISTS last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
                CREATE INDEX IF NOT EXISTS priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
                """;

        private final List<Scheduler> schedulers = new ArrayList<>();
        private final AtomicLong submitted = new AtomicLong();
        private final OneTimeTask<Void> task = Tasks.oneTime("noop")
                .execute((instance, context) -> PostgresEndToEnd.STARTED.put(instance.getId(), System.nanoTime()));

        @Override
        public String name() {
            return "db-scheduler";
        }

        @Override
        public String configuration() {
            return "`threads(10)`, `pollUsingLockAndFetch(1.0, 4.0)`, `enableImmediateExecution()`, "
                    + "`pollingInterval(1 s)`; the README's PostgreSQL table and indexes";
        }

        @Override
        public void start(List<HikariDataSource> pools, int workers) throws Exception {
            try (Connection c = pools.get(0).getConnection();
                    Statement s = c.createStatement()) {
                s.execute(TABLE);
            }
            int n = 0;
            for (HikariDataSource pool : pools) {
                Scheduler scheduler = Scheduler.create(pool, task)
                        .schedulerName(new SchedulerName.Fixed("instance-" + n++))
                        .threads(workers)
                        .pollUsingLockAndFetch(1.0, 4.0)
                        .enableImmediateExecution()
                        .pollingInterval(Duration.ofSeconds(1))
                        .build();
                scheduler.start();
                schedulers.add(scheduler);
            }
        }

        @Override
        public String submit(int instance) {
            String key = UUID.randomUUID().toString();
            schedulers.get(instance).schedule(task.instance(key), Instant.now());
            submitted.incrementAndGet();
            return key;
        }

        @Override
        public void enqueueWithoutWorkers(HikariDataSource pool, int jobs) throws Exception {
            try (Connection c = pool.getConnection();
                    Statement s = c.createStatement()) {
                s.execute(TABLE);
            }
            SchedulerClient client = SchedulerClient.Builder.create(pool, task).build();
            for (int i = 0; i < jobs; i++) {
                client.schedule(task.instance(UUID.randomUUID().toString()), Instant.now());
                submitted.incrementAndGet();
            }
        }

        @Override
        public long succeeded(Connection connection) throws Exception {
            // one-time executions are deleted when they complete
            long pending = count(connection, "SELECT count(*) FROM scheduled_tasks");
            return submitted.get() - pending;
        }

        @Override
        public void close() {
            schedulers.forEach(Scheduler::stop);
        }
    }

    /**
     * JobRunr (open source) with its PostgreSQL storage: a background job server per instance
     * with 10 workers and the shortest poll interval it accepts.
     */
    final class JobRunr implements Contender {

        static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

        private final List<JobScheduler> schedulers = new ArrayList<>();
        private final List<BackgroundJobServer> servers = new ArrayList<>();

        @Override
        public String name() {
            return "JobRunr";
        }

        @Override
        public String configuration() {
            return "`PostgresStorageProvider`, a `BackgroundJobServer` per instance with `andWorkerCount(10)`, "
                    + "`andPollInterval(" + POLL_INTERVAL.toSeconds() + " s)` (the shortest it accepts)";
        }

        @Override
        public int idleSamples() {
            return 10;
        }

        @Override
        public int jobs(int requested) {
            return Math.max(100, requested / 5);
        }

        @Override
        public void start(List<HikariDataSource> pools, int workers) {
            JacksonJsonMapper json = new JacksonJsonMapper();
            JobActivator activator = new JobActivator() {
                @Override
                public <T> T activateJob(Class<T> type) {
                    return null; // the job is a static method
                }
            };
            for (HikariDataSource pool : pools) {
                PostgresStorageProvider storage = new PostgresStorageProvider(pool);
                storage.setJobMapper(new JobMapper(json));
                schedulers.add(new JobScheduler(storage));
                BackgroundJobServer server = new BackgroundJobServer(
                        storage,
                        json,
                        activator,
                        BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                                .andWorkerCount(workers)
                                .andPollInterval(POLL_INTERVAL));
                server.start();
                servers.add(server);
            }
        }

        @Override
        public String submit(int instance) {
            String key = UUID.randomUUID().toString();
            schedulers.get(instance).enqueue(() -> JobRunrNoop.run(key));
            return key;
        }

        @Override
        public void enqueueWithoutWorkers(HikariDataSource pool, int jobs) {
            PostgresStorageProvider storage = new PostgresStorageProvider(pool);
            storage.setJobMapper(new JobMapper(new JacksonJsonMapper()));
            JobScheduler scheduler = new JobScheduler(storage);
            for (int i = 0; i < jobs; i++) {
                String key = UUID.randomUUID().toString();
                scheduler.enqueue(() -> JobRunrNoop.run(key));
            }
        }

        @Override
        public long succeeded(Connection connection) throws Exception {
            return count(connection, "SELECT count(*) FROM jobrunr_jobs WHERE state = 'SUCCEEDED'");
        }

        @Override
        public void close() {
            servers.forEach(BackgroundJobServer::stop);
        }
    }
}
