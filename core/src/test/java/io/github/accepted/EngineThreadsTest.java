package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.spi.JobExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which thread does what (issue 19, items 1, 2, 3 and 9): heartbeats are never held up by other
 * work and go on through {@code close()}; store reads and claims never run on a store's
 * notification thread, a request thread's behalf or the JDK's shared delay thread; and a job run
 * twice here keeps the newer attempt's heartbeat.
 */
class EngineThreadsTest {

    record Text(String text) {}

    private final ObservedStore store = new ObservedStore(Duration.ofMillis(300));
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Accepted> engines = new ArrayList<>();

    @AfterEach
    void close() {
        release.countDown();
        store.purgeRelease.countDown();
        engines.forEach(Accepted::close);
    }

    private Accepted engine(Accepted.Builder builder) {
        Accepted accepted = builder.build();
        engines.add(accepted);
        return accepted;
    }

    private Accepted.Builder blocking() {
        return Accepted.builder()
                .store(store)
                .executor(JobExecutor.fixedThreadPool(2))
                .pollInterval(Duration.ofHours(1))
                .handler("block", Text.class, (input, context) -> {
                    release.await(30, TimeUnit.SECONDS);
                    return input;
                });
    }

    private static Job awaitStatus(Accepted accepted, JobId id, JobStatus status) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> accepted.find(id, "alice").map(Job::status).orElse(null) == status);
        return accepted.find(id, "alice").orElseThrow();
    }

    @Test
    void heartbeats_goOn_whileAPurgeHangs() throws Exception {
        store.purgeRelease = new CountDownLatch(1);
        Accepted accepted = engine(blocking().purgeInterval(Duration.ofMillis(10)));
        awaitStatus(accepted, accepted.submit("block", "alice", new Text("a")).id(), JobStatus.RUNNING);
        assertThat(store.purgeEntered.await(10, TimeUnit.SECONDS)).isTrue();
        int before = store.heartbeats.size();

        // a heartbeat every 100 ms: the hung purge must not stop them (it did: one thread did both)
        await().atMost(Duration.ofSeconds(5)).until(() -> store.heartbeats.size() >= before + 3);
    }

    @Test
    void close_keepsRenewingLeases_untilTheLastJobHasEnded() throws Exception {
        Accepted accepted = engine(blocking().shutdownTimeout(Duration.ofSeconds(20)));
        JobId id = accepted.submit("block", "alice", new Text("a")).id();
        awaitStatus(accepted, id, JobStatus.RUNNING);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(accepted::close);
        await().atMost(Duration.ofSeconds(5)).until(() -> !accepted.isAccepting());
        int atClose = store.heartbeats.size();
        // leases are renewed every 100 ms while the job still runs, however long the shutdown takes
        await().atMost(Duration.ofSeconds(5)).until(() -> store.heartbeats.size() >= atClose + 5);
        assertThat(store.heartbeats)
                .last()
                .satisfies(beat -> assertThat(beat).extracting(Job::id).contains(id));
        release.countDown();
        closing.get(10, TimeUnit.SECONDS);
        assertThat(accepted.find(id, "alice").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void aWakeUp_readsTheJobOnTheEnginesThreads_notOnTheStoresThread() throws Exception {
        Accepted accepted = engine(blocking());
        Job job = awaitStatus(
                accepted, accepted.submit("block", "alice", new Text("a")).id(), JobStatus.RUNNING);
        CompletableFuture<Optional<Job>> waiting =
                accepted.awaitChange(job.id(), "alice", job.version(), Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(5)).until(() -> accepted.waitingCount() == 1);
        store.findThreads.clear();

        Thread notifier = new Thread(() -> store.changeListener.accept(job.id()), "store-listen");
        notifier.start();
        notifier.join();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isPresent();
        assertThat(store.findThreads).isNotEmpty().allSatisfy(name -> assertThat(name)
                .startsWith("accepted-io-"));
    }

    @Test
    void anEndedWait_readsTheJobOnTheEnginesThreads_notOnTheJdkDelayThread() throws Exception {
        Accepted accepted = engine(blocking());
        Job job = awaitStatus(
                accepted, accepted.submit("block", "alice", new Text("a")).id(), JobStatus.RUNNING);
        store.findThreads.clear();
        CompletableFuture<Optional<Job>> waiting =
                accepted.awaitChange(job.id(), "alice", job.version(), Duration.ofMillis(50));
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isPresent();
        // the first read is the caller's own (a request thread); the one after the wait is the engine's
        assertThat(store.findThreads).hasSize(2);
        assertThat(store.findThreads).last().asString().startsWith("accepted-io-");
    }

    @Test
    void workNotificationsAndKeyedSubmits_claimOnTheEnginesThreads() throws Exception {
        Accepted accepted = engine(blocking());
        // queued elsewhere (written straight to the store), announced on the store's thread
        Job elsewhere = Job.queued(
                JobId.random(),
                "block",
                "alice",
                Payload.json("{\"text\":\"a\"}"),
                accepted.clock().instant());
        store.create(elsewhere);
        Thread notifier = new Thread(() -> store.workListener.run(), "store-listen");
        notifier.start();
        notifier.join();
        awaitStatus(accepted, elsewhere.id(), JobStatus.RUNNING);
        // an idempotent submit is stored queued, then the engine looks for work
        Thread request = new Thread(
                () -> accepted.submitJson(
                        "block",
                        "alice",
                        "{\"text\":\"b\"}".getBytes(StandardCharsets.UTF_8),
                        new io.github.accepted.spi.IdempotencyKey("alice", "k1", "f1")),
                "request-thread");
        request.start();
        request.join();

        await().atMost(Duration.ofSeconds(5)).until(() -> store.claimThreads.size() >= 2);
        assertThat(store.claimThreads)
                .allSatisfy(name -> assertThat(name).doesNotContain("store-listen", "request-thread"));
    }

    @Test
    void aCancelFromElsewhere_isLookedUpOnTheEnginesThreads() {
        Accepted accepted = engine(blocking());
        Job job = awaitStatus(
                accepted, accepted.submit("block", "alice", new Text("a")).id(), JobStatus.RUNNING);
        store.findThreads.clear();
        Thread notifier = new Thread(() -> store.elsewhereListener.accept(job.id()), "store-listen");
        notifier.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> !store.findThreads.isEmpty());
        assertThat(store.findThreads).allSatisfy(name -> assertThat(name).startsWith("accepted-io-"));
    }

    @Test
    void aNewerAttemptRunHere_keepsItsHeartbeat_whenTheOlderAttemptEnds() throws Exception {
        CountDownLatch firstAttempt = new CountDownLatch(1);
        CountDownLatch secondStarted = new CountDownLatch(1);
        Accepted accepted = engine(Accepted.builder()
                .store(store)
                .executor(JobExecutor.fixedThreadPool(2))
                .pollInterval(Duration.ofMillis(20))
                .handler("twice", Text.class, (input, context) -> {
                    if (context.attempt() == 1) {
                        firstAttempt.await(30, TimeUnit.SECONDS);
                    } else {
                        secondStarted.countDown();
                        release.await(30, TimeUnit.SECONDS);
                    }
                    return input;
                }));
        Job first = awaitStatus(
                accepted, accepted.submit("twice", "alice", new Text("a")).id(), JobStatus.RUNNING);
        // the lease of attempt 1 is lost and the job queued again; this same instance claims attempt 2
        assertThat(store.replace(first, first.requeued(accepted.clock().instant())))
                .isTrue();
        assertThat(secondStarted.await(10, TimeUnit.SECONDS)).isTrue();

        firstAttempt.countDown(); // attempt 1 ends; its outcome is dropped, its cleanup must spare attempt 2
        await().atMost(Duration.ofSeconds(5)).until(() -> accepted.find(first.id(), "alice")
                .map(job -> job.attempt() == 2 && job.status() == JobStatus.RUNNING)
                .orElse(false));
        Thread.sleep(300);
        store.heartbeats.clear();
        await().atMost(Duration.ofSeconds(5)).until(() -> store.heartbeats.stream()
                .anyMatch(beat -> beat.stream().anyMatch(job -> job.id().equals(first.id()) && job.attempt() == 2)));
    }
}
