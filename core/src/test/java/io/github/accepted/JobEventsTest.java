package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.accepted.spi.EngineGauges;
import io.github.accepted.spi.JobContextPropagator;
import io.github.accepted.spi.JobEvent;
import io.github.accepted.spi.JobEvent.Kind;
import io.github.accepted.spi.JobExecutor;
import io.github.accepted.spi.JobListener;
import io.github.accepted.spi.JobStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The event SPI, the MDC around handler runs, and context propagation from submit to run. */
class JobEventsTest {

    record Text(String text) {}

    /** Hears every event, in order. */
    static final class Recorder implements JobListener {
        final List<JobEvent> events = new CopyOnWriteArrayList<>();
        final List<String> storeErrors = new CopyOnWriteArrayList<>();
        volatile EngineGauges gauges;

        @Override
        public void onEvent(JobEvent event) {
            events.add(event);
        }

        @Override
        public void onStoreError(String operation, RuntimeException error) {
            storeErrors.add(operation);
        }

        @Override
        public void attached(EngineGauges engine) {
            gauges = engine;
        }

        List<Kind> kinds(JobId id) {
            return events.stream()
                    .filter(e -> e.jobId().equals(id))
                    .map(JobEvent::kind)
                    .toList();
        }
    }

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final List<Map<String, String>> mdcAfterTasks = new CopyOnWriteArrayList<>();
    private Accepted accepted;

    @AfterEach
    void close() {
        if (accepted != null) {
            accepted.close();
        }
        pool.shutdownNow();
        MDC.clear();
    }

    /** Runs tasks on {@link #pool}, noting the worker thread's MDC after each task. */
    private JobExecutor observedExecutor() {
        return JobExecutor.of(
                task -> pool.execute(() -> {
                    task.run();
                    Map<String, String> after = MDC.getCopyOfContextMap();
                    mdcAfterTasks.add(after == null ? Map.of() : after);
                }),
                2);
    }

    private Job awaitTerminal(JobId id) {
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> accepted.find(id, "alice").orElseThrow(), job -> job.status()
                        .isTerminal());
    }

    @Test
    void aJobThatReportsProgressAndSucceeds_emitsSubmittedStartedProgressSucceeded_withItsTimings() {
        Recorder recorder = new Recorder();
        accepted = Accepted.builder()
                .listener(recorder)
                .handler("t", Text.class, (in, ctx) -> {
                    ctx.progress(50, "half");
                    return in;
                })
                .build();
        Job job = accepted.submit("t", "alice", new Text("x"));
        awaitTerminal(job.id());
        await().until(() -> recorder.kinds(job.id()).contains(Kind.SUCCEEDED));

        assertThat(recorder.kinds(job.id()))
                .containsExactly(Kind.SUBMITTED, Kind.STARTED, Kind.PROGRESS, Kind.SUCCEEDED);
        JobEvent started = recorder.events.get(1);
        assertThat(started.type()).isEqualTo("t");
        assertThat(started.attempt()).isEqualTo(1);
        assertThat(started.leftQueue()).isTrue();
        assertThat(started.waited()).isPresent();
        assertThat(recorder.events.get(2).progress()).contains(new Progress(50, "half"));
        JobEvent succeeded = recorder.events.get(3);
        assertThat(succeeded.ran()).isPresent();
        assertThat(succeeded.previous()).contains(JobStatus.RUNNING);
        assertThat(succeeded.submittedAt()).isEqualTo(job.createdAt());
    }

    @Test
    void aRejectedSubmit_emitsRejectedWithTheBound_andACanceledQueuedJobLeavesTheQueue() throws Exception {
        Recorder recorder = new Recorder();
        CountDownLatch release = new CountDownLatch(1);
        accepted = Accepted.builder()
                .listener(recorder)
                .store(JobStore.inMemory(1, 100))
                .executor(JobExecutor.fixedThreadPool(1))
                .handler("t", Text.class, (in, ctx) -> {
                    release.await(10, TimeUnit.SECONDS);
                    return in;
                })
                .build();
        Job running = accepted.submit("t", "alice", new Text("runs"));
        await().until(() -> accepted.find(running.id(), "alice").orElseThrow().status() == JobStatus.RUNNING);
        Job queued = accepted.submit("t", "alice", new Text("waits"));
        assertThatThrownBy(() -> accepted.submit("t", "alice", new Text("refused")))
                .isInstanceOf(RejectedJobException.class);
        accepted.cancel(queued.id(), "alice");
        release.countDown();
        awaitTerminal(running.id());

        JobEvent rejected = recorder.events.stream()
                .filter(e -> e.kind() == Kind.REJECTED)
                .findFirst()
                .orElseThrow();
        assertThat(rejected.rejection()).contains(RejectedJobException.Reason.QUEUE_FULL);
        assertThat(rejected.type()).isEqualTo("t");
        assertThat(recorder.kinds(queued.id())).containsExactly(Kind.SUBMITTED, Kind.CANCELED);
        JobEvent canceled = recorder.events.stream()
                .filter(e -> e.kind() == Kind.CANCELED)
                .findFirst()
                .orElseThrow();
        assertThat(canceled.leftQueue()).isTrue();
        assertThat(canceled.error()).isPresent();
    }

    @Test
    void aThrowingListener_isLoggedAndSkipped_theJobSucceeds_andTheNextListenerHearsEverything() {
        Recorder recorder = new Recorder();
        JobListener throwing = new JobListener() {
            @Override
            public void onEvent(JobEvent event) {
                throw new IllegalStateException("listener bug on " + event.kind());
            }

            @Override
            public void attached(EngineGauges engine) {
                throw new IllegalStateException("listener bug on attach");
            }
        };
        accepted = Accepted.builder()
                .listener(throwing)
                .listener(recorder)
                .handler("t", Text.class, (in, ctx) -> {
                    ctx.progress(10, "going");
                    return in;
                })
                .build();
        Job job = accepted.submit("t", "alice", new Text("x"));

        assertThat(awaitTerminal(job.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
        await().until(() -> recorder.kinds(job.id()).contains(Kind.SUCCEEDED));
        assertThat(recorder.kinds(job.id()))
                .containsExactly(Kind.SUBMITTED, Kind.STARTED, Kind.PROGRESS, Kind.SUCCEEDED);
    }

    @Test
    void aJobPastItsLimit_emitsExpiredThenFailed() {
        Recorder recorder = new Recorder();
        accepted = Accepted.builder()
                .listener(recorder)
                .handler("slow", TimeoutTest.Text.class, new TimeoutTest.Sleeper())
                .build();
        Job job = accepted.submit("slow", "alice", new TimeoutTest.Text("x"));
        awaitTerminal(job.id());
        await().until(() -> recorder.kinds(job.id()).contains(Kind.FAILED));
        assertThat(recorder.kinds(job.id())).containsExactly(Kind.SUBMITTED, Kind.STARTED, Kind.EXPIRED, Kind.FAILED);
    }

    @Test
    void aJobTakenBackFromADeadInstance_emitsRecoveredRetried_thenRunsHere() {
        Recorder recorder = new Recorder();
        AbandonedJobStore store = new AbandonedJobStore();
        Job abandoned = store.abandon(
                Job.queued(
                        JobId.random(),
                        "t",
                        "alice",
                        new Payload(Payload.JSON, "{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8)),
                        java.time.Instant.now()),
                java.time.Instant.now());
        accepted = Accepted.builder()
                .listener(recorder)
                .store(store)
                .handler("t", Text.class, (in, ctx) -> in)
                .build();
        awaitTerminal(abandoned.id());
        await().until(() -> recorder.kinds(abandoned.id()).contains(Kind.SUCCEEDED));

        assertThat(recorder.kinds(abandoned.id()))
                .containsExactly(Kind.RECOVERED, Kind.RETRIED, Kind.STARTED, Kind.SUCCEEDED);
        JobEvent recovered = recorder.events.get(0);
        assertThat(recovered.attempt()).isEqualTo(1);
        JobEvent retried = recorder.events.get(1);
        assertThat(retried.previous()).contains(JobStatus.RUNNING);
        assertThat(retried.ran()).isEmpty(); // it ran on the dead instance: no run time of its own here
        assertThat(recorder.events.get(2).attempt()).isEqualTo(2);
    }

    @Test
    void gauges_countRunningJobsByType_andWaitingClients() throws Exception {
        Recorder recorder = new Recorder();
        CountDownLatch release = new CountDownLatch(1);
        accepted = Accepted.builder()
                .listener(recorder)
                .handler("t", Text.class, (in, ctx) -> {
                    release.await(10, TimeUnit.SECONDS);
                    return in;
                })
                .build();
        Job job = accepted.submit("t", "alice", new Text("x"));
        await().until(() -> recorder.gauges.runningJobs("t") == 1);
        Job now = accepted.find(job.id(), "alice").orElseThrow();
        CompletableFuture<Optional<Job>> change =
                accepted.awaitChange(job.id(), "alice", now.version(), Duration.ofSeconds(10));

        assertThat(recorder.gauges.waitingClients()).isEqualTo(1);
        assertThat(recorder.gauges.jobTypes()).containsExactly("t");
        assertThat(change).isNotDone();
        release.countDown();
        assertThat(change.join())
                .as("the waiting client hears of the change")
                .hasValueSatisfying(changed -> assertThat(changed.version()).isGreaterThan(now.version()));
        awaitTerminal(job.id());
        await().until(() -> recorder.gauges.runningJobs("t") == 0 && recorder.gauges.waitingClients() == 0);
    }

    @Test
    void theMdc_holdsJobIdTypeAndAttempt_insideTheHandler_andNothingOfTheSubmitter_andIsEmptyAfter() {
        AtomicReference<Map<String, String>> inside = new AtomicReference<>();
        accepted = Accepted.builder()
                .executor(observedExecutor())
                .handler("t", Text.class, (in, ctx) -> {
                    inside.set(MDC.getCopyOfContextMap());
                    return in;
                })
                .build();
        MDC.put("requestId", "r-1"); // the submitting request's own key
        Job job = accepted.submit("t", "alice", new Text("x"));
        awaitTerminal(job.id());

        assertThat(inside.get())
                .containsExactlyInAnyOrderEntriesOf(Map.of("jobId", job.id().value(), "jobType", "t", "attempt", "1"));
        await().until(() -> !mdcAfterTasks.isEmpty());
        assertThat(mdcAfterTasks).allSatisfy(after -> assertThat(after).isEmpty());
    }

    @Test
    void theMdcPropagator_carriesChosenKeysOfTheSubmitter_only() {
        AtomicReference<Map<String, String>> inside = new AtomicReference<>();
        accepted = Accepted.builder()
                .executor(observedExecutor())
                .propagator(JobContextPropagator.mdc("requestId"))
                .handler("t", Text.class, (in, ctx) -> {
                    inside.set(MDC.getCopyOfContextMap());
                    return in;
                })
                .build();
        MDC.put("requestId", "r-1");
        MDC.put("session", "secret");
        Job job = accepted.submit("t", "alice", new Text("x"));
        awaitTerminal(job.id());

        assertThat(job.propagation()).containsExactly(Map.entry("mdc.requestId", "r-1"));
        assertThat(inside.get())
                .containsEntry("requestId", "r-1")
                .doesNotContainKey("session")
                .containsEntry("jobId", job.id().value());
        await().until(() -> !mdcAfterTasks.isEmpty());
        assertThat(mdcAfterTasks).allSatisfy(after -> assertThat(after).isEmpty());
    }

    @Test
    void aPropagator_capturesOnTheSubmittingThread_opensAroundTheHandler_andClosesWithTheOutcome() {
        AtomicReference<String> seenByHandler = new AtomicReference<>();
        AtomicReference<Job> closedWith = new AtomicReference<>();
        ThreadLocal<String> current = new ThreadLocal<>();
        JobContextPropagator propagator = new JobContextPropagator() {
            @Override
            public Map<String, String> capture(String type) {
                return Map.of("trace", "from-" + Thread.currentThread().getName(), "x".repeat(65), "too long key");
            }

            @Override
            public RunScope open(Job job) {
                current.set(job.propagation().get("trace"));
                return last -> {
                    current.remove();
                    closedWith.set(last);
                };
            }
        };
        accepted = Accepted.builder()
                .propagator(propagator)
                .handler("t", Text.class, (in, ctx) -> {
                    seenByHandler.set(current.get());
                    throw new JobFailedException(Problem.of("bad", "Bad", 422, "no"));
                })
                .build();
        Job job = accepted.submit("t", "alice", new Text("x"));
        awaitTerminal(job.id());

        String submitter = "from-" + Thread.currentThread().getName();
        assertThat(job.propagation()).containsExactly(Map.entry("trace", submitter));
        assertThat(accepted.find(job.id(), "alice").map(Job::propagation)).contains(Map.of("trace", submitter));
        assertThat(seenByHandler.get()).isEqualTo(submitter);
        await().until(() -> closedWith.get() != null);
        assertThat(closedWith.get().status()).isEqualTo(JobStatus.FAILED);
        assertThat(closedWith.get().error().map(Problem::type))
                .isEqualTo(Optional.of(Problem.of("bad", "Bad", 422, "no").type()));
    }
}
