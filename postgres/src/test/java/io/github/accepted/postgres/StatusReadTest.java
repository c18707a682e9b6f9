package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.accepted.Job;
import io.github.accepted.JobHandler;
import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.Payload;
import io.github.accepted.conformance.Http;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.spi.Fetch;
import io.github.accepted.spi.ListQuery;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, item 12: every status read loaded the job's input and result, so a poll of a job
 * with a 50 MB result read 50 MB from PostgreSQL, and a list page 101 results. Status reads now
 * load only what the monitor shows; the monitor and the result served are unchanged.
 */
class StatusReadTest {

    record Size(int bytes) {}

    private static final int BIG = 10 * 1024 * 1024;
    private static final Fetch MONITOR = Fetch.monitor(ProtocolEngine.DEFAULT_MAX_INLINE_RESULT_BYTES, false);

    /** A JSON string of {@code bytes} bytes. */
    private static final JobHandler<Size, Payload> SIZED =
            (input, context) -> Payload.json("\"" + "x".repeat(input.bytes() - 2) + "\"");

    private final Http http = new Http();

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void aStatusRead_leavesALargeResultAndTheInputUnread_andTheMonitorIsUnchanged() throws Exception {
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 4);
        try (Instance instance = new Instance(pool, "a", Duration.ofSeconds(10), 2, "sized", Size.class, SIZED)) {
            URI big = submitAndAwait(instance, BIG);
            JobId id = new JobId(big.getPath().substring(big.getPath().lastIndexOf('/') + 1));

            Job status = instance.store.find(id, MONITOR).orElseThrow();
            assertThat(status.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(status.result()).hasValueSatisfying(result -> {
                assertThat(result.isLoaded())
                        .as("a 10 MB result is not read for the status")
                        .isFalse();
                assertThat(result.mediaType()).isEqualTo(Payload.JSON);
            });
            assertThat(status.input().isLoaded()).isFalse();
            Job full = instance.store.find(id).orElseThrow();
            assertThat(full.result().orElseThrow().size()).isEqualTo(BIG);
            assertThat(full.input().isLoaded()).isTrue();

            Http.Reply monitor = http.get(big, null);
            assertThat(monitor.status()).isEqualTo(200);
            JsonNode body = monitor.json();
            assertThat(body.path("status").asText()).isEqualTo("succeeded");
            assertThat(body.path("resultType").asText()).isEqualTo(Payload.JSON);
            assertThat(body.path("resultUrl").asText()).isEqualTo(big + "/result");
            assertThat(body.has("result")).as("over the inline limit").isFalse();
            Http.Reply result = http.get(URI.create(big + "/result"), null);
            assertThat(result.status()).isEqualTo(200);
            assertThat(result.body()).hasSize(BIG);

            URI small = submitAndAwait(instance, 12);
            assertThat(http.get(small, null).json().path("result").asText()).isEqualTo("x".repeat(10));
            JobId smallId = new JobId(small.getPath().substring(small.getPath().lastIndexOf('/') + 1));
            assertThat(instance.store
                            .find(smallId, MONITOR)
                            .orElseThrow()
                            .result()
                            .orElseThrow()
                            .isLoaded())
                    .isTrue();

            measure(instance.store, id);
        }
    }

    @Test
    void aListPage_readsNoInputs_andOnlyResultsItShows() throws Exception {
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 4);
        try (Instance instance = new Instance(pool, "a", Duration.ofSeconds(10), 2, "sized", Size.class, SIZED)) {
            Job big = instance.accepted.submit("sized", "alice", new Size(200_000));
            Job small = instance.accepted.submit("sized", "alice", new Size(20));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> instance.store
                                    .list(new ListQuery("alice", Set.of(JobStatus.SUCCEEDED), Optional.empty(), 10))
                                    .jobs()
                                    .size()
                            == 2);

            var page = instance.store
                    .list(new ListQuery("alice", Set.of(), Optional.empty(), 10, MONITOR))
                    .jobs();
            assertThat(page).extracting(Job::id).containsExactly(small.id(), big.id());
            assertThat(page)
                    .allSatisfy(job -> assertThat(job.input().isLoaded()).isFalse());
            assertThat(page.get(0).result().orElseThrow().isLoaded()).isTrue();
            assertThat(page.get(1).result().orElseThrow().isLoaded()).isFalse();
        }
    }

    private URI submitAndAwait(Instance instance, int bytes) {
        Http.Reply submitted = http.postJson(instance.uri("/api/sized"), null, "{\"bytes\":" + bytes + "}");
        assertThat(submitted.status()).as(submitted.text()).isIn(200, 202);
        URI monitor = URI.create(submitted.header("Location").orElseThrow());
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> instance.store
                                .find(idOf(monitor), MONITOR)
                                .orElseThrow()
                                .status()
                        == JobStatus.SUCCEEDED);
        return monitor;
    }

    private static JobId idOf(URI monitor) {
        return new JobId(monitor.getPath().substring(monitor.getPath().lastIndexOf('/') + 1));
    }

    /** For docs/postgres.md: time and payload bytes per poll of the 10 MB job, both ways. Not asserted. */
    private static void measure(PostgresJobStore store, JobId id) {
        int polls = 20;
        for (int warm = 0; warm < 3; warm++) {
            store.find(id);
            store.find(id, MONITOR);
        }
        long fullBytes = 0;
        long start = System.nanoTime();
        for (int i = 0; i < polls; i++) {
            fullBytes += payloadBytes(store.find(id).orElseThrow());
        }
        double fullMillis = (System.nanoTime() - start) / 1e6 / polls;
        long statusBytes = 0;
        start = System.nanoTime();
        for (int i = 0; i < polls; i++) {
            statusBytes += payloadBytes(store.find(id, MONITOR).orElseThrow());
        }
        double statusMillis = (System.nanoTime() - start) / 1e6 / polls;
        System.out.printf(
                "status read of a job with a %,d-byte result, %d polls each: full read %.2f ms and %,d "
                        + "payload bytes per poll; monitor read %.2f ms and %,d payload bytes per poll%n",
                BIG, polls, fullMillis, fullBytes / polls, statusMillis, statusBytes / polls);
    }

    private static long payloadBytes(Job job) {
        long bytes = job.input().isLoaded() ? job.input().size() : 0;
        if (job.result().isPresent() && job.result().get().isLoaded()) {
            bytes += job.result().get().size();
        }
        return bytes;
    }
}
