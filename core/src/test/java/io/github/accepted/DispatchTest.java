package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.spi.JobExecutor;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How jobs reach workers, with polling turned off (one poll an hour): a job submitted to a free
 * worker is stored running, a queued job starts when a worker frees, and an empty queue costs
 * no claim per job.
 */
class DispatchTest {

    record Text(String text) {}

    private final CountingStore store = new CountingStore();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger tasksDone = new AtomicInteger();
    private Accepted accepted;

    @AfterEach
    void close() {
        release.countDown();
        accepted.close();
    }

    private Accepted oneWorker(boolean blocking) {
        JobExecutor pool = JobExecutor.fixedThreadPool(1);
        // counts worker tasks that returned: the worker is free again, its permit released
        JobExecutor counted = new JobExecutor() {
            @Override
            public int concurrency() {
                return pool.concurrency();
            }

            @Override
            public void execute(Runnable task) {
                pool.execute(() -> {
                    task.run();
                    tasksDone.incrementAndGet();
                });
            }

            @Override
            public void shutdown(Duration timeout) {
                pool.shutdown(timeout);
            }
        };
        accepted = Accepted.builder()
                .store(store)
                .executor(counted)
                .pollInterval(Duration.ofHours(1))
                .handler("t", Text.class, (input, context) -> {
                    if (blocking && !release.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                    return input.text();
                })
                .build();
        return accepted;
    }

    @Test
    void aFreeWorkerTakesTheJobAsItIsStored_andAQueuedJobStartsWhenTheWorkerFrees() {
        Accepted engine = oneWorker(true);
        Job first = engine.submit("t", "alice", new Text("a"));
        Job second = engine.submit("t", "alice", new Text("b"));
        assertThat(first.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(first.attempt()).isEqualTo(1);
        assertThat(store.find(first.id())).contains(first);
        assertThat(second.status()).as("the only worker is busy").isEqualTo(JobStatus.QUEUED);

        release.countDown();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> store.find(second.id()).orElseThrow().status() == JobStatus.SUCCEEDED);
        assertThat(store.find(first.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void jobsSubmittedOneAtATimeToAnIdleEngine_needNoClaim() {
        Accepted engine = oneWorker(false);
        for (int i = 0; i < 20; i++) {
            Job job = engine.submit("t", "alice", new Text("n" + i));
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
            int done = i + 1;
            await().atMost(Duration.ofSeconds(10)).until(() -> tasksDone.get() == done);
            assertThat(store.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        }
        // one claim at most: the first finished job finds the queue never looked at
        assertThat(store.claims.get()).isLessThanOrEqualTo(1);
    }
}
