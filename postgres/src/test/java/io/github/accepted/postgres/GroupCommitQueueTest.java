package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link GroupCommit} alone, with a writer that records its batches (no database). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCommitQueueTest {

    static final class Write extends GroupCommit.Entry {
        final String key;
        final String name;

        Write(String key, String name) {
            this.key = key;
            this.name = name;
        }

        @Override
        String key() {
            return key;
        }
    }

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /** Holds the batch containing "held" until {@link #release}; records every batch by name. */
    private void write(List<Write> batch) {
        List<String> names = new ArrayList<>();
        batch.forEach(w -> names.add(w.name));
        batches.add(names);
        if (names.contains("held")) {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Future<?> start(GroupCommit<Write> commits, Write write) {
        return threads.submit(() -> commits.write(write, null));
    }

    @Test
    void writesThatArriveDuringAFlush_goTogetherInTheNext_butTwoOfOneKeyNever() throws Exception {
        GroupCommit<Write> commits = new GroupCommit<>("test", 256, 1, 100, this::write);
        List<Future<?>> writes = new ArrayList<>();
        writes.add(start(commits, new Write("x", "held")));
        await().until(() -> commits.buffered() == 1 && commits.flushes() == 1);
        writes.add(start(commits, new Write("a", "a1")));
        await().until(() -> commits.buffered() == 2);
        writes.add(start(commits, new Write("a", "a2")));
        await().until(() -> commits.buffered() == 3);
        writes.add(start(commits, new Write("b", "b1")));
        await().until(() -> commits.buffered() == 4);
        release.countDown();
        for (Future<?> write : writes) {
            write.get(10, TimeUnit.SECONDS);
        }
        assertThat(batches).containsExactly(List.of("held"), List.of("a1", "b1"), List.of("a2"));
        assertThat(commits.written()).isEqualTo(4);
    }

    @Test
    void pastItsBuffer_aWriteIsRefusedWithWhatTheCallerGives() throws Exception {
        GroupCommit<Write> commits = new GroupCommit<>("test", 256, 1, 2, this::write);
        Future<?> held = start(commits, new Write("x", "held"));
        await().until(() -> commits.flushes() == 1);
        Future<?> waiting = start(commits, new Write("a", "a"));
        await().until(() -> commits.buffered() == 2);
        Future<?> alsoWaiting = start(commits, new Write("b", "b"));
        await().until(() -> commits.buffered() == 3);
        assertThatThrownBy(() -> commits.write(new Write("c", "c"), () -> new IllegalStateException("full")))
                .hasMessage("full");
        release.countDown();
        held.get(10, TimeUnit.SECONDS);
        waiting.get(10, TimeUnit.SECONDS);
        alsoWaiting.get(10, TimeUnit.SECONDS);
        assertThat(batches).containsExactly(List.of("held"), List.of("a", "b"));
    }

    /** The flush is everyone's: an interrupted caller that writes it does not fail the others' rows. */
    @Test
    void aCallerThatIsInterrupted_writesTheFlushUninterrupted_andKeepsItsInterrupt() throws Exception {
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        GroupCommit<Write> commits = new GroupCommit<>(
                "test",
                256,
                1,
                100,
                batch -> sawInterrupt.set(Thread.currentThread().isInterrupted()));
        Future<Boolean> interrupted = threads.submit(() -> {
            Thread.currentThread().interrupt();
            commits.write(new Write("a", "a"), null);
            return Thread.currentThread().isInterrupted();
        });
        assertThat(interrupted.get(10, TimeUnit.SECONDS))
                .as("its interrupt kept")
                .isTrue();
        assertThat(sawInterrupt).as("the writer saw no interrupt").isFalse();
    }

    @Test
    void aWriterThatFails_failsEveryCallerOfThatBatch_andAnEntryFailedAloneFailsOnlyItsCaller() throws Exception {
        GroupCommit<Write> commits = new GroupCommit<>("test", 256, 2, 100, batch -> {
            for (Write w : batch) {
                if (w.name.equals("bad")) {
                    w.fail(new IllegalArgumentException("bad row"));
                }
                if (w.name.equals("boom")) {
                    throw new IllegalStateException("boom");
                }
            }
        });
        commits.write(new Write("a", "fine"), null);
        assertThatThrownBy(() -> commits.write(new Write("b", "bad"), null)).hasMessage("bad row");
        assertThatThrownBy(() -> commits.write(new Write("c", "boom"), null)).hasMessage("boom");
        assertThat(commits.awaitIdle(1_000)).isTrue();
    }
}
