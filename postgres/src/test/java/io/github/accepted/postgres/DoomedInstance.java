package io.github.accepted.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accepted.Accepted;
import io.github.accepted.JobStatus;
import io.github.accepted.spi.JobExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An instance run in its own JVM by {@link CrashTest}, to be killed with SIGKILL mid-job: it
 * submits N jobs whose handler never finishes here, waits until it runs them all, prints
 * {@code RUNNING N}, and blocks.
 *
 * <p>Arguments: JDBC URL, N, lease in milliseconds.
 */
public final class DoomedInstance {

    private DoomedInstance() {
    }

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setUsername("postgres");
        config.setMaximumPoolSize(8);
        int jobs = Integer.parseInt(args[1]);
        PostgresJobStore store = PostgresJobStore.builder(new HikariDataSource(config))
                .instanceId("doomed")
                .leaseTimeout(Duration.ofMillis(Long.parseLong(args[2])))
                .build();
        Accepted accepted = Accepted.builder()
                .store(store)
                .executor(JobExecutor.fixedThreadPool(jobs))
                .handler(CrashTest.TYPE, CrashTest.Work.class, (input, context) -> {
                    context.progress(10, "started in the doomed instance");
                    Thread.sleep(Long.MAX_VALUE);
                    return input;
                })
                .build();
        List<io.github.accepted.JobId> ids = new ArrayList<>();
        for (int n = 0; n < jobs; n++) {
            ids.add(accepted.submit(CrashTest.TYPE, "", new CrashTest.Work(n)).id());
        }
        while (!ids.stream().allMatch(id -> store.find(id).map(j -> j.status() == JobStatus.RUNNING
                && j.progress().percent() == 10).orElse(false))) {
            Thread.sleep(20);
        }
        System.out.println("RUNNING " + jobs);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
