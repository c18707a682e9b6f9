package io.github.accepted.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accepted.Accepted;
import io.github.accepted.Job;
import io.github.accepted.JobHandler;
import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.Payload;
import io.github.accepted.spi.JobExecutor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;

/**
 * An instance run in its own JVM by {@link CrashTest}, to be killed (SIGKILL) or suspended
 * (SIGSTOP) mid-job: it submits N jobs, waits until it runs them all, prints {@code RUNNING N},
 * and blocks.
 *
 * <p>Arguments: JDBC URL, N, lease in milliseconds, instance id, first job number, and the
 * handlers' behaviour: {@code block} (never finish) or {@code pause} (after a suspension of more
 * than a second, even-numbered jobs write progress and return at once, printing
 * {@code RESUMED <id>}; all of them print {@code TOLD <id>} and return when interrupted: outcomes
 * that must be dropped, the jobs having been taken over meanwhile), or {@code outcomes} (the
 * handlers return once all N run, but the database is out of reach for new connections from
 * then on: their outcomes wait in the store's write buffer; {@code RUNNING N} is printed when all
 * N are buffered), or {@code prefetch} (as {@code block}, but the N jobs are queued before the
 * engine starts, with 2 workers and {@code prefetch(N - 2)}: its first claim starts 2 and claims
 * the others ahead; {@code RUNNING N} is printed when 2 run and all N are claimed by it).
 */
public final class DoomedInstance {

    private DoomedInstance() {}

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setUsername("postgres");
        config.setMaximumPoolSize(8);
        int jobs = Integer.parseInt(args[1]);
        int first = Integer.parseInt(args[4]);
        boolean prefetching = args[5].equals("prefetch");
        HikariDataSource pool = new HikariDataSource(config);
        CountDownLatch cutOff = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        // once cut off, every new borrowing of a connection waits forever (the liveness and LISTEN connections are held
        // already)
        DataSource gated = (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("getConnection") && cutOff.getCount() == 0) {
                        new CountDownLatch(1).await();
                    }
                    try {
                        return method.invoke(pool, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        PostgresJobStore store = PostgresJobStore.builder(gated)
                .instanceId(args[3])
                .leaseTimeout(Duration.ofMillis(Long.parseLong(args[2])))
                .build();
        JobHandler<CrashTest.Work, Object> handler = args[5].equals("pause")
                ? DoomedInstance::untilTold
                : args[5].equals("outcomes")
                        ? (input, context) -> {
                            context.progress(10, "started in the doomed instance");
                            finish.await();
                            return Map.of("by", "doomed");
                        }
                        : (input, context) -> {
                            context.progress(10, "started in the doomed instance");
                            Thread.sleep(Long.MAX_VALUE);
                            return input;
                        };
        List<JobId> ids = new ArrayList<>();
        if (prefetching) {
            // queued before the engine starts: its first claim takes all of them at once, 2 for its workers and the
            // rest ahead (submitted one by one, the claims would depend on timing: a claim refills only when half the
            // prefetched jobs are gone)
            for (int n = first; n < first + jobs; n++) {
                Job job = Job.queued(
                        JobId.random(), CrashTest.TYPE, "", Payload.json("{\"n\":" + n + "}"), Instant.now());
                store.create(job);
                ids.add(job.id());
            }
        }
        Accepted accepted = Accepted.builder()
                .store(store)
                .executor(JobExecutor.fixedThreadPool(prefetching ? 2 : jobs))
                .prefetch(prefetching ? jobs - 2 : 0)
                .handler(CrashTest.TYPE, CrashTest.Work.class, handler)
                .build();
        for (int n = first; n < first + jobs && !prefetching; n++) {
            ids.add(accepted.submit(CrashTest.TYPE, "", new CrashTest.Work(n)).id());
        }
        int started = prefetching ? 2 : jobs; // the others wait, claimed, for one of the 2 workers
        while (ids.stream()
                                .filter(id -> store.find(id)
                                        .map(j -> j.status() == JobStatus.RUNNING
                                                && j.progress().percent() == 10)
                                        .orElse(false))
                                .count()
                        < started
                || !ids.stream().allMatch(id -> store.find(id)
                        .map(j -> j.status() == JobStatus.RUNNING)
                        .orElse(false))) {
            Thread.sleep(20);
        }
        if (args[5].equals("outcomes")) {
            cutOff.countDown();
            finish.countDown();
            while (store.bufferedChanges() < jobs) {
                Thread.sleep(5);
            }
        }
        System.out.println("RUNNING " + jobs);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static Object untilTold(CrashTest.Work input, io.github.accepted.JobContext context) {
        context.progress(10, "started in the doomed instance");
        long last = System.nanoTime();
        while (true) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                System.out.println("TOLD " + context.jobId().value());
                return Map.of("by", "doomed", "after", "told");
            }
            long now = System.nanoTime();
            if (now - last > 1_000_000_000L && input.n() % 2 == 0) {
                System.out.println("RESUMED " + context.jobId().value());
                context.progress(99, "written after resuming");
                return Map.of("by", "doomed", "after", "resuming");
            }
            last = now;
        }
    }
}
