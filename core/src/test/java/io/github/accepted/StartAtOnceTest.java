package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.spi.JobExecutor;
import io.github.accepted.spi.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An engine that starts looks for work at once (issue 14): jobs queued before it started used
 * to wait for the first poll (a second by default), however idle its workers were.
 */
class StartAtOnceTest {

    record Named(String name) {}

    @Test
    void jobsQueuedBeforeTheEngineStarts_runWithoutWaitingForAPoll() {
        JobStore store = JobStore.inMemory();
        List<JobId> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Job job = Job.queued(
                    JobId.random(), "greet", "alice", Payload.json("{\"name\":\"n" + i + "\"}"), Instant.now());
            store.create(job);
            ids.add(job.id());
        }
        try (Accepted engine = Accepted.builder()
                .store(store)
                .executor(JobExecutor.fixedThreadPool(2))
                .pollInterval(Duration.ofHours(1)) // no poll comes while the test runs
                .handler("greet", Named.class, (input, context) -> "hello " + input.name())
                .build()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream()
                    .allMatch(id -> engine.find(id, "alice").orElseThrow().status() == JobStatus.SUCCEEDED));
            assertThat(ids).allSatisfy(id -> assertThat(engine.find(id, "alice")
                            .orElseThrow()
                            .result()
                            .orElseThrow()
                            .text())
                    .startsWith("\"hello n"));
        }
    }
}
