package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.spi.JobExecutor;
import io.github.accepted.spi.ListQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cancel, completion, expiry and purge racing on 8 threads over 100,000 jobs: no deadlock, and
 * every job reaches exactly one terminal state (or none, if it was canceled and removed before
 * it ran... which is also one: canceled).
 */
class RaceTest {

    record Text(String text) {}

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void cancelCompletionExpiryAndPurge_racingOnEightThreads_leaveOneTerminalStatePerJob() throws Exception {
        CountingStore store = new CountingStore();
        Accepted accepted = Accepted.builder()
                .store(store)
                .executor(JobExecutor.fixedThreadPool(4))
                .retention(Duration.ofMillis(2))
                .purgeInterval(Duration.ofMillis(1))
                .handler("quick", Text.class, (in, ctx) -> {
                    if (ThreadLocalRandom.current().nextInt(8) == 0) {
                        ctx.progress(50, "half");
                    }
                    return in.text();
                })
                .build();
        int threads = 8;
        int perThread = 12_500;
        AtomicInteger refused = new AtomicInteger();
        List<JobId> submitted = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> racers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                racers.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < perThread; i++) {
                        JobId id;
                        try {
                            id = accepted.submit("quick", "alice", new Text("x"))
                                    .id();
                        } catch (RejectedJobException e) {
                            refused.incrementAndGet();
                            Thread.onSpinWait();
                            continue;
                        }
                        submitted.add(id);
                        switch (random.nextInt(4)) {
                            case 0 -> cancelQuietly(accepted, id);
                            case 1 -> accepted.purgeExpired();
                            case 2 -> accepted.find(id, "alice");
                            default -> {
                                // let completion race the others
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> racer : racers) {
                racer.get(200, TimeUnit.SECONDS);
            }
            // nothing may be left behind: every accepted job ends, and every record expires
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> store.list(new ListQuery(
                                    "alice", Set.of(JobStatus.QUEUED, JobStatus.RUNNING), Optional.empty(), 1))
                            .jobs()
                            .isEmpty());
        } finally {
            pool.shutdownNow();
            accepted.close();
        }
        assertThat(submitted.size() + refused.get()).isEqualTo(threads * perThread);
        assertThat(submitted.size()).isGreaterThan(threads * perThread / 2);
        for (JobId id : submitted) {
            AtomicInteger terminal = store.terminalTransitions.get(id);
            assertThat(terminal)
                    .as("terminal transitions of %s", id)
                    .isNotNull()
                    .hasValue(1);
        }
    }

    private static void cancelQuietly(Accepted accepted, JobId id) {
        try {
            accepted.cancel(id, "alice");
        } catch (JobNotFoundException gone) {
            // already purged: it ended before
        }
    }
}
