package io.github.accepted.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accepted.Accepted;
import io.github.accepted.CallbackRequest;
import io.github.accepted.Callbacks;
import io.github.accepted.Job;
import io.github.accepted.JobStatus;
import io.github.accepted.spi.CallbackState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * An instance run in its own JVM by {@link CallbackOutboxTest}, to be killed with SIGKILL after
 * its job ended and before it delivered the job's callback (it never looks for due callbacks):
 * it prints {@code ENDED <job id>} once the outcome and the pending callback are committed.
 *
 * <p>Arguments: JDBC URL, callback URL.
 */
public final class DoomedCallbackInstance {

    private DoomedCallbackInstance() {}

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setUsername("postgres");
        config.setMaximumPoolSize(4);
        HikariDataSource pool = new HikariDataSource(config);
        PostgresJobStore store =
                PostgresJobStore.builder(pool).instanceId("doomed").build();
        PostgresCallbackOutbox outbox = PostgresCallbackOutbox.on(pool);
        Accepted accepted = Accepted.builder()
                .store(store)
                .handler(CallbackOutboxTest.TYPE, CallbackOutboxTest.Work.class, (input, context) -> input)
                .callbacks(Callbacks.builder()
                        .secret(CallbackOutboxTest.SECRET)
                        .allow("127.0.0.1")
                        .outbox(outbox)
                        .pollInterval(Duration.ofDays(1))
                        .build())
                .build();
        Job job = accepted.submitJson(
                        CallbackOutboxTest.TYPE,
                        "",
                        "{\"n\":1}".getBytes(StandardCharsets.UTF_8),
                        new CallbackRequest(List.of(args[1]), CallbackRequest.ALL_EVENTS, "http://doomed.example/jobs"))
                .job();
        while (!(store.find(job.id())
                        .map(j -> j.status() == JobStatus.SUCCEEDED)
                        .orElse(false)
                && outbox.of(job.id()).get(0).state() == CallbackState.PENDING)) {
            Thread.sleep(20);
        }
        System.out.println("ENDED " + job.id().value());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
