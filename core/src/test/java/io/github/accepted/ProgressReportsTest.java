package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.internal.JobTransitions;
import io.github.accepted.spi.JobExecutor;
import io.github.accepted.spi.JobStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: a handler's progress reports go through {@link JobStore#replaceAsync} without the
 * handler waiting; the outcome is written after the last report, and wins. The store here is the
 * real in-memory one, its writes (blocking or not) done in order on one thread once a gate opens.
 */
class ProgressReportsTest {

    record Text(String text) {}

    private final JobStore memory = JobStore.inMemory(1_000, 1_000, 1_000);
    private final CountDownLatch gate = new CountDownLatch(1);
    private final ExecutorService writer = Executors.newSingleThreadExecutor();
    private Accepted accepted;

    @AfterEach
    void close() {
        gate.countDown();
        if (accepted != null) {
            accepted.close();
        }
        writer.shutdownNow();
    }

    /** The in-memory store, its changes written on one thread in order, after the gate opens. */
    private JobStore gated() {
        return (JobStore) Proxy.newProxyInstance(
                JobStore.class.getClassLoader(), new Class<?>[] {JobStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("replaceAsync")) {
                        return CompletableFuture.supplyAsync(
                                () -> {
                                    awaitGate();
                                    return memory.replace((Job) args[0], (Job) args[1]);
                                },
                                writer);
                    }
                    if (method.getName().equals("replace")) {
                        awaitGate();
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void awaitGate() {
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the gate never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Accepted engine(JobStore store, JobHandler<Text, String> handler) {
        accepted = Accepted.builder()
                .store(store)
                .executor(JobExecutor.fixedThreadPool(1))
                .pollInterval(Duration.ofHours(1))
                .handler("t", Text.class, handler)
                .build();
        return accepted;
    }

    @Test
    void aHundredReports_doNotWaitForTheirWrites_andTheOutcomeIsWrittenAfterTheLast() throws Exception {
        CountDownLatch reported = new CountDownLatch(1);
        Accepted engine = engine(gated(), (input, context) -> {
            for (int i = 1; i <= 100; i++) {
                context.progress(i, "step " + i);
            }
            reported.countDown();
            return input.text();
        });
        Job job = engine.submit("t", "alice", new Text("done"));
        assertThat(reported.await(30, TimeUnit.SECONDS))
                .as("the handler reported 100 times while no write could be made")
                .isTrue();
        gate.countDown();
        Job done = await().atMost(Duration.ofSeconds(30))
                .until(() -> memory.find(job.id()).orElseThrow(), found -> found.status() == JobStatus.SUCCEEDED);
        assertThat(done.progress()).isEqualTo(new Progress(100, "step 100"));
        assertThat(done.result()).isPresent();
    }

    @Test
    void aReportThatLosesItsCompareAndSet_isAppliedAgain_andTheOutcomeIsNotLost() throws Exception {
        AtomicReference<JobId> id = new AtomicReference<>();
        Accepted engine = engine(memory, (input, context) -> {
            context.progress(1, "step 1");
            Job first = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> memory.find(context.jobId()).orElseThrow(),
                            found -> found.progress().percent() == 1);
            // changed elsewhere: every version this instance chains on from here loses
            assertThat(memory.replace(
                            first,
                            JobTransitions.withMetadata(first, Payload.json("{\"by\":\"elsewhere\"}"), Instant.now())))
                    .isTrue();
            for (int i = 2; i <= 100; i++) {
                context.progress(i, "step " + i);
            }
            id.set(context.jobId());
            return input.text();
        });
        Job job = engine.submit("t", "alice", new Text("done"));
        Job done = await().atMost(Duration.ofSeconds(30))
                .until(() -> memory.find(job.id()).orElseThrow(), found -> found.status() == JobStatus.SUCCEEDED);
        assertThat(done.metadata()).contains(Payload.json("{\"by\":\"elsewhere\"}"));
        assertThat(done.progress().percent()).isEqualTo(100);
        assertThat(done.result()).contains(Payload.json("\"done\""));
        assertThat(id.get()).isEqualTo(job.id());
    }
}
