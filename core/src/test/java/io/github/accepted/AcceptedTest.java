package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.accepted.spi.JobExecutor;
import io.github.accepted.spi.JobStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AcceptedTest {

    record Text(String text) {}

    private final List<Accepted> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(Accepted::close);
    }

    private Accepted started(Accepted.Builder builder) {
        Accepted accepted = builder.build();
        engines.add(accepted);
        return accepted;
    }

    private Job awaitTerminal(Accepted accepted, JobId id) {
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> accepted.find(id, "alice").orElseThrow(), job -> job.status()
                        .isTerminal());
    }

    @Test
    void builder_refusesASettingGivenTwice_andAnEngineWithoutHandlers() {
        Accepted.Builder builder = Accepted.builder().retention(Duration.ofHours(1));
        assertThatThrownBy(() -> builder.retention(Duration.ofHours(2))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Accepted.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Accepted.builder().retention(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Accepted.builder().handler("bad type!", Text.class, (in, ctx) -> in))
                .isInstanceOf(IllegalArgumentException.class);
        Accepted.Builder twice = Accepted.builder().handler("t", Text.class, (in, ctx) -> in);
        assertThatThrownBy(() -> twice.handler("t", Text.class, (in, ctx) -> in))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void submit_ofInvalidInput_throws_andStoresNothing() {
        CountingStore store = new CountingStore();
        Accepted accepted = started(Accepted.builder().store(store).handler("t", Text.class, (in, ctx) -> in));
        assertThatThrownBy(() -> accepted.submitJson("t", "alice", "{\"text\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> accepted.submitJson("t", "alice", "{\"nope\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("nope")
                .hasMessageNotContaining("AcceptedTest");
        assertThatThrownBy(() -> accepted.submit("unknown", "alice", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(accepted.list("alice", Set.of(), 10).jobs()).isEmpty();
    }

    record Typed(String name, int count) {}

    @Test
    void defaultMapper_readsInputStrictly_withoutCoercingTypes() {
        Accepted accepted = started(Accepted.builder().handler("t", Typed.class, (in, ctx) -> in));
        String[] refused = {
            "{\"name\":5,\"count\":1}",
            "{\"name\":true,\"count\":1}",
            "{\"name\":\"a\",\"count\":1.5}",
            "{\"name\":\"a\",\"count\":\"1\"}",
            "{\"name\":\"a\",\"count\":null}",
            "{\"name\":\"a\",\"count\":1,\"more\":0}",
            "{\"name\":\"a\",\"count\":1} {}",
        };
        for (String json : refused) {
            assertThatThrownBy(() -> accepted.submitJson("t", "alice", json.getBytes(StandardCharsets.UTF_8)))
                    .as(json)
                    .isInstanceOf(InvalidInputException.class);
        }
        assertThat(accepted.submitJson("t", "alice", "{\"name\":\"a\",\"count\":1}".getBytes(StandardCharsets.UTF_8))
                        .status())
                .as("accepted: queued, or running if a worker was free")
                .isIn(JobStatus.QUEUED, JobStatus.RUNNING);
    }

    @Test
    void handlerOutcomes_becomeTheRightTerminalStates() {
        Accepted accepted = started(Accepted.builder()
                .handler("ok", Text.class, (in, ctx) -> Map.of("got", in.text()))
                .handler("null", Text.class, (in, ctx) -> null)
                .handler("explained", Text.class, (in, ctx) -> {
                    throw new JobFailedException("no data for " + in.text());
                })
                .handler("error", Text.class, (in, ctx) -> {
                    throw new OutOfMemoryError("simulated");
                })
                .handler("unserializable", Text.class, (in, ctx) -> new Object())
                .handler("selfCanceled", Text.class, (in, ctx) -> {
                    throw new JobCanceledException();
                }));
        Job ok = awaitTerminal(
                accepted, accepted.submit("ok", "alice", new Text("x")).id());
        assertThat(ok.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(ok.result().orElseThrow().text()).isEqualTo("{\"got\":\"x\"}");

        // regression (issue 19 item 14): a null result was stored as JSON null; the contract says it must not be null
        Job nullResult = awaitTerminal(
                accepted, accepted.submit("null", "alice", new Text("x")).id());
        assertThat(nullResult.status()).isEqualTo(JobStatus.FAILED);
        assertThat(nullResult.result()).isEmpty();
        assertThat(nullResult.error().orElseThrow().type()).isEqualTo("urn:accepted:problem:null-result");

        Job explained = awaitTerminal(
                accepted,
                accepted.submit("explained", "alice", new Text("2025")).id());
        assertThat(explained.status()).isEqualTo(JobStatus.FAILED);
        assertThat(explained.error().orElseThrow().detail()).isEqualTo("no data for 2025");

        Job error = awaitTerminal(
                accepted, accepted.submit("error", "alice", new Text("x")).id());
        assertThat(error.status()).isEqualTo(JobStatus.FAILED);
        assertThat(error.error().orElseThrow().type()).isEqualTo("urn:accepted:problem:job-failed");
        assertThat(error.error().orElseThrow().detail()).doesNotContain("simulated");

        Job unserializable = awaitTerminal(
                accepted,
                accepted.submit("unserializable", "alice", new Text("x")).id());
        assertThat(unserializable.status()).isEqualTo(JobStatus.FAILED);
        assertThat(unserializable.error().orElseThrow().type())
                .isEqualTo("urn:accepted:problem:result-not-serializable");

        assertThat(awaitTerminal(
                                accepted,
                                accepted.submit("selfCanceled", "alice", new Text("x"))
                                        .id())
                        .status())
                .isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void anyExecutor_runsJobs_withinItsConcurrency() throws Exception {
        ExecutorService mine = Executors.newCachedThreadPool();
        try {
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            int[] concurrent = {0};
            int[] maxConcurrent = {0};
            Object lock = new Object();
            Accepted accepted =
                    started(Accepted.builder().executor(JobExecutor.of(mine, 3)).handler("t", Text.class, (in, ctx) -> {
                        threads.add(Thread.currentThread());
                        synchronized (lock) {
                            maxConcurrent[0] = Math.max(maxConcurrent[0], ++concurrent[0]);
                        }
                        Thread.sleep(5);
                        synchronized (lock) {
                            concurrent[0]--;
                        }
                        return in;
                    }));
            List<JobId> ids = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                ids.add(accepted.submit("t", "alice", new Text("" + i)).id());
            }
            for (JobId id : ids) {
                assertThat(awaitTerminal(accepted, id).status()).isEqualTo(JobStatus.SUCCEEDED);
            }
            assertThat(maxConcurrent[0]).isBetween(1, 3);
            assertThat(threads).isNotEmpty();
        } finally {
            mine.shutdownNow();
        }
    }

    /**
     * Cancel racing completion: whatever the interleaving, each job gets exactly one terminal
     * state, and what cancel answered agrees with it.
     */
    @Test
    void cancelRacingCompletion_alwaysEndsInExactlyOneTerminalState() throws Exception {
        CountingStore store = new CountingStore();
        Accepted accepted = started(Accepted.builder()
                .store(store)
                .executor(JobExecutor.fixedThreadPool(4))
                .handler("quick", Text.class, (in, ctx) -> {
                    int spins = ThreadLocalRandom.current().nextInt(2000);
                    for (int i = 0; i < spins && !ctx.isCancellationRequested(); i++) {
                        Thread.onSpinWait();
                    }
                    return in;
                }));
        ExecutorService cancellers = Executors.newFixedThreadPool(4);
        int iterations = 2000;
        try {
            List<Future<Map.Entry<JobId, Optional<CancelResult.Outcome>>>> outcomes = new ArrayList<>();
            for (int i = 0; i < iterations; i++) {
                JobId id = accepted.submit("quick", "alice", new Text("" + i)).id();
                outcomes.add(cancellers.submit(() -> {
                    int pause = ThreadLocalRandom.current().nextInt(200);
                    for (int s = 0; s < pause; s++) {
                        Thread.onSpinWait();
                    }
                    try {
                        return Map.entry(
                                id, Optional.of(accepted.cancel(id, "alice").outcome()));
                    } catch (JobNotFoundException e) {
                        return Map.entry(id, Optional.empty());
                    }
                }));
            }
            for (Future<Map.Entry<JobId, Optional<CancelResult.Outcome>>> future : outcomes) {
                Map.Entry<JobId, Optional<CancelResult.Outcome>> outcome = future.get(60, TimeUnit.SECONDS);
                JobId id = outcome.getKey();
                CancelResult.Outcome said = outcome.getValue().orElseThrow();
                if (said == CancelResult.Outcome.REMOVED) {
                    assertThat(accepted.find(id, "alice")).isEmpty();
                } else {
                    Job finished = awaitTerminal(accepted, id);
                    if (said == CancelResult.Outcome.CANCELED) {
                        assertThat(finished.status()).isEqualTo(JobStatus.CANCELED);
                        assertThat(finished.attempt()).isZero();
                    } else {
                        assertThat(finished.status()).isIn(JobStatus.CANCELED, JobStatus.SUCCEEDED);
                    }
                }
                assertThat(store.terminalTransitions.get(id))
                        .as("terminal transitions of %s", id)
                        .hasValue(1);
            }
        } finally {
            cancellers.shutdownNow();
        }
        assertThat(store.terminalTransitions).hasSize(iterations);
    }

    @Test
    void close_letsRunningJobsFinish_withinTheTimeout() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Accepted accepted = started(
                Accepted.builder().shutdownTimeout(Duration.ofSeconds(30)).handler("slow", Text.class, (in, ctx) -> {
                    started.countDown();
                    Thread.sleep(300);
                    return in;
                }));
        JobId id = accepted.submit("slow", "alice", new Text("x")).id();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        accepted.close();
        assertThat(accepted.find(id, "alice").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThatThrownBy(() -> accepted.submit("slow", "alice", new Text("y")))
                .isInstanceOfSatisfying(RejectedJobException.class, e -> assertThat(e.reason())
                        .isEqualTo(RejectedJobException.Reason.SHUTTING_DOWN));
    }

    @Test
    void close_interruptsCooperativeJobsAfterTheTimeout_andRecordsThemFailed() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Accepted accepted = started(
                Accepted.builder().shutdownTimeout(Duration.ofMillis(100)).handler("forever", Text.class, (in, ctx) -> {
                    started.countDown();
                    new CountDownLatch(1).await();
                    return in;
                }));
        JobId id = accepted.submit("forever", "alice", new Text("x")).id();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        accepted.close();
        Job job = accepted.find(id, "alice").orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error().orElseThrow().type()).isEqualTo("urn:accepted:problem:shutdown");
    }

    @Test
    void progress_isVisibleWhileRunning() throws Exception {
        CountDownLatch reported = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Accepted accepted = started(Accepted.builder().handler("p", Text.class, (in, ctx) -> {
            ctx.progress(40, "two of five");
            reported.countDown();
            release.await();
            return in;
        }));
        JobId id = accepted.submit("p", "alice", new Text("x")).id();
        assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();
        Job running = accepted.find(id, "alice").orElseThrow();
        assertThat(running.progress()).isEqualTo(new Progress(40, "two of five"));
        release.countDown();
        assertThat(awaitTerminal(accepted, id).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    /** What {@code If-Match} on {@code DELETE} rests on: the condition holds for the very version changed. */
    @Test
    void cancelIf_doesNothing_whenTheJobFailsTheCondition_evenWhenItChangedAfterTheFirstLook() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Accepted accepted = started(Accepted.builder().handler("gate", Text.class, (in, ctx) -> {
            started.countDown();
            release.await();
            return in;
        }));
        JobId id = accepted.submit("gate", "alice", new Text("x")).id();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        long seen = accepted.find(id, "alice").orElseThrow().version();
        List<Long> tested = new ArrayList<>();
        Optional<CancelResult> raced = accepted.cancelIf(id, "alice", job -> {
            tested.add(job.version());
            if (tested.size() == 1) {
                accepted.cancel(id, "alice"); // another client changes the job after this look
            }
            return job.version() == seen;
        });
        assertThat(raced).isEmpty();
        assertThat(tested).hasSize(2);
        assertThat(tested.get(1)).isGreaterThan(seen);

        Job finished = awaitTerminal(accepted, id);
        assertThat(accepted.cancelIf(id, "alice", job -> job.version() == seen)).isEmpty();
        assertThat(accepted.find(id, "alice")).as("kept").isPresent();
        assertThat(accepted.cancelIf(id, "alice", job -> job.version() == finished.version()))
                .map(CancelResult::outcome)
                .contains(CancelResult.Outcome.REMOVED);
        assertThat(accepted.find(id, "alice")).isEmpty();
        release.countDown();
    }

    @Test
    void jobs_areVisibleOnlyToTheirOwner_unlessAnonymous() {
        Accepted accepted =
                started(Accepted.builder().store(JobStore.inMemory()).handler("t", Text.class, (in, ctx) -> in));
        JobId owned = accepted.submit("t", "alice", new Text("x")).id();
        JobId anonymous = accepted.submit("t", "", new Text("x")).id();
        assertThat(accepted.find(owned, "bob")).isEmpty();
        assertThat(accepted.find(owned, "")).isEmpty();
        assertThat(accepted.find(anonymous, "bob")).isPresent();
        assertThatThrownBy(() -> accepted.cancel(owned, "bob"))
                .isInstanceOfSatisfying(
                        JobNotFoundException.class, e -> assertThat(e.jobId()).isEqualTo(owned));
    }
}
