package io.github.accepted.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.conformance.Http.Reply;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Overload and shutdown under load, over a real socket: the excess is refused with {@code 503}
 * and {@code Retry-After}, polls keep answering, and no accepted job is lost. Every adapter
 * extends it, as it extends {@link HttpConformanceSuite}, {@link ProtocolDepthSuite} and
 * {@link BadInputSuite}.
 */
public abstract class ReliabilitySuite extends ConformanceHarness {

    private static JobId idOf(URI monitor) {
        String path = monitor.getPath();
        return new JobId(path.substring(path.lastIndexOf('/') + 1));
    }

    @Test
    void submitsFarAboveCapacity_areRefusedWith503_pollsKeepAnswering_andNoAcceptedJobIsLost() throws Exception {
        Config config = new Config();
        config.workers = 1;
        config.maxQueued = 20;
        config.maxRetained = 300;
        App app = app(config);
        URI watched = app.submitted("echo", "{\"text\":\"watched\"}", ALICE);
        List<URI> accepted = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
        AtomicInteger unexpected = new AtomicInteger();
        AtomicInteger polls = new AtomicInteger();
        AtomicBoolean storm = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(17);
        try {
            Future<?> poller = pool.submit(() -> {
                while (storm.get()) {
                    int status = http.get(watched, ALICE).status();
                    if (status != 200 && status != 202) {
                        unexpected.incrementAndGet();
                    }
                    polls.incrementAndGet();
                }
                return null;
            });
            List<Future<?>> submitters = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                submitters.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        Reply reply = http.postJson(app.uri("/api/slow"), ALICE, "{\"millis\":2}");
                        if (reply.status() == 202) {
                            accepted.add(URI.create(reply.header("Location").orElseThrow()));
                        } else if (reply.status() == 503
                                && reply.header("Retry-After").isPresent()) {
                            refusals.computeIfAbsent(reply.json().path("type").asText(), k -> new AtomicInteger())
                                    .incrementAndGet();
                        } else {
                            unexpected.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> submitter : submitters) {
                submitter.get(120, TimeUnit.SECONDS);
            }
            storm.set(false);
            poller.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        int refused = refusals.values().stream().mapToInt(AtomicInteger::get).sum();
        assertThat(unexpected.get())
                .as("answers other than 202, 503 with Retry-After, or a poll's 200/202")
                .isZero();
        assertThat(accepted.size() + refused).isEqualTo(1600);
        assertThat(refused).as("the excess is refused").isPositive();
        assertThat(refusals.keySet()).isSubsetOf("urn:accepted:problem:queue-full", "urn:accepted:problem:store-full");
        assertThat(accepted.size()).as("never more records than the bound").isLessThanOrEqualTo(300);
        assertThat(polls.get()).as("polls answered during the storm").isPositive();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> accepted.stream().allMatch(uri -> app.accepted
                        .find(idOf(uri), ALICE)
                        .map(j -> j.status().isTerminal())
                        .orElse(false)));
        for (URI uri : accepted) {
            Job job = app.accepted.find(idOf(uri), ALICE).orElseThrow();
            assertThat(job.status()).as("accepted job %s", uri).isEqualTo(JobStatus.SUCCEEDED);
        }
    }

    @Test
    void closingWhileJobsRunAndClientsPoll_endsEveryAcceptedJob() throws Exception {
        Config config = new Config();
        config.workers = 2;
        config.shutdownTimeout = Duration.ofMillis(200);
        App app = app(config);
        List<URI> accepted = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            accepted.add(app.submitted("slow", "{\"millis\":50}", ALICE));
        }
        AtomicBoolean polling = new AtomicBoolean(true);
        AtomicInteger serverErrors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> pollers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                pollers.add(pool.submit(() -> {
                    int i = offset;
                    while (polling.get()) {
                        if (http.get(accepted.get(i++ % accepted.size()), ALICE).status() >= 500) {
                            serverErrors.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(100);
            app.accepted.close();
            Thread.sleep(100);
            polling.set(false);
            for (Future<?> poller : pollers) {
                poller.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(serverErrors.get()).isZero();
        int succeeded = 0;
        for (URI uri : accepted) {
            JsonStatus status =
                    JsonStatus.of(http.get(uri, ALICE).json().path("status").asText());
            assertThat(status.terminal()).as("job %s after close", uri).isTrue();
            succeeded += status.name().equals("succeeded") ? 1 : 0;
        }
        assertThat(succeeded).as("the jobs that ran before the close finished").isPositive();
    }

    @Test
    void aJobPastItsTypesTimeLimit_failsWithATimeoutProblem() throws Exception {
        App app = app();
        String gate = Gates.newGate();
        URI monitor = app.submitted("hang", gateInput(gate), ALICE);
        var failed = awaitStatus(monitor, ALICE, "failed");
        assertThat(failed.path("error").path("type").asText()).isEqualTo("urn:accepted:problem:timeout");
        assertThat(failed.path("error").path("status").asInt()).isEqualTo(504);
        Gates.open(gate);
    }

    private record JsonStatus(String name, boolean terminal) {
        static JsonStatus of(String name) {
            return new JsonStatus(name, name.equals("succeeded") || name.equals("failed") || name.equals("canceled"));
        }
    }
}
