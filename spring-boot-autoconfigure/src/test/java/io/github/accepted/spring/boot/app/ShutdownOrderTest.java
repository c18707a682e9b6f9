package io.github.accepted.spring.boot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.accepted.Accepted;
import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * Issue 12: the engine closed only after Tomcat had stopped, so clients never saw the final
 * state. With the starter, closing the context stops intake first (503), lets the running job
 * finish while monitors answer, and only then does the web server shut down.
 */
class ShutdownOrderTest {

    /** Stops right after Accepted's lifecycle and before the web server's: records what it sees, then holds. */
    static class Probe {
        static volatile JobStatus statusWhenReached;
        static volatile String jobId;
        static final CountDownLatch REACHED = new CountDownLatch(1);
        static final CountDownLatch RELEASE = new CountDownLatch(1);

        @Bean
        SmartLifecycle shutdownProbe(Accepted accepted) {
            return new SmartLifecycle() {
                private volatile boolean running;

                @Override
                public void start() {
                    running = true;
                }

                @Override
                public void stop() {
                    statusWhenReached = accepted.find(JobId.parse(jobId).orElseThrow(), "alice")
                            .orElseThrow()
                            .status();
                    REACHED.countDown();
                    try {
                        RELEASE.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    running = false;
                }

                @Override
                public boolean isRunning() {
                    return running;
                }

                @Override
                public int getPhase() {
                    return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;
                }
            };
        }
    }

    @Test
    void acceptedStopsBeforeTheWebServersGracefulShutdown() {
        assertThat(io.github.accepted.spring.boot.autoconfigure.AcceptedAutoConfigurationPhases.acceptedPhase())
                .isGreaterThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1);
    }

    @Test
    void closingTheContext_refusesSubmits_keepsMonitorsAnswering_andEndsTheJobBeforeTheServerStops() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(StarterApplication.class, Probe.class)
                .properties("server.port=0", "server.address=127.0.0.1", "accepted.shutdown-timeout=20s")
                .run();
        Client client = new Client(
                ((WebServerApplicationContext) context).getWebServer().getPort());
        String gate = UUID.randomUUID().toString();
        StarterApplication.GATES.put(gate, new CountDownLatch(1));
        HttpResponse<String> submit = client.post("/api/wait", "alice", "{\"gate\":\"" + gate + "\"}");
        String monitor = submit.headers().firstValue("Location").orElseThrow();
        Probe.jobId = monitor.substring(monitor.lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.get(monitor, "alice").body().contains("\"percent\":50"));

        Thread closer = new Thread(context::close, "test-closer");
        closer.start();
        Accepted accepted = context.getBean(Accepted.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> !accepted.isAccepting());

        HttpResponse<String> refused = client.post("/api/rows", "alice", "{\"rows\":1,\"name\":\"late\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        HttpResponse<String> running = client.get(monitor, "alice");
        assertThat(running.statusCode()).isEqualTo(202);
        assertThat(running.body()).contains("\"status\":\"running\"");

        StarterApplication.GATES.get(gate).countDown();
        assertThat(Probe.REACHED.await(30, TimeUnit.SECONDS))
                .as("Accepted's lifecycle ended")
                .isTrue();
        assertThat(Probe.statusWhenReached)
                .as("the job had ended when the next phase began")
                .isEqualTo(JobStatus.SUCCEEDED);
        HttpResponse<String> done = client.get(monitor, "alice");
        assertThat(done.statusCode())
                .as("the final state is served before the web server stops")
                .isEqualTo(200);
        assertThat(done.body()).contains("\"status\":\"succeeded\"");

        Probe.RELEASE.countDown();
        closer.join(30_000);
        assertThat(closer.isAlive()).isFalse();
        assertThatThrownBy(() -> client.get(monitor, "alice"))
                .as("the server stopped after")
                .isInstanceOf(Exception.class);
    }
}
