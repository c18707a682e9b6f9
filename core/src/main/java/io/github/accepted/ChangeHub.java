package io.github.accepted;

import io.github.accepted.spi.StoreUnavailableException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Who is waiting for which job to change. A waiter is a future, not a thread: ten thousand
 * long-polling clients cost ten thousand small objects.
 *
 * <p>A change is announced on a store thread that must not block, so {@link #publish(JobId)}
 * reads nothing itself: it hands one read of the job to the engine's I/O threads, and every
 * waiter of that job is answered from that one snapshot (ten thousand clients waiting on one job
 * cost one read per change, not ten thousand). Thread-safe.
 */
final class ChangeHub {

    private final ConcurrentHashMap<JobId, Set<CompletableFuture<Optional<Job>>>> waiters = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Function<JobId, Optional<Job>> reader;
    private final EngineThreads threads;

    ChangeHub(Function<JobId, Optional<Job>> reader, EngineThreads threads) {
        this.reader = reader;
        this.threads = threads;
    }

    /**
     * A future that completes at the next change of job {@code id} with the job as it is then
     * (empty if it is gone), or with {@code null} when the snapshot could not be read for it.
     */
    CompletableFuture<Optional<Job>> register(JobId id) {
        CompletableFuture<Optional<Job>> signal = new CompletableFuture<>();
        waiters.compute(id, (key, set) -> {
            Set<CompletableFuture<Optional<Job>>> next = set != null ? set : new HashSet<>();
            next.add(signal);
            return next;
        });
        waiting.incrementAndGet();
        return signal;
    }

    /** Forgets a waiter that stopped waiting (timed out, or was answered). */
    void unregister(JobId id, CompletableFuture<Optional<Job>> signal) {
        boolean[] removed = {false};
        waiters.computeIfPresent(id, (key, set) -> {
            removed[0] = set.remove(signal);
            return set.isEmpty() ? null : set;
        });
        if (removed[0]) {
            waiting.decrementAndGet();
        }
    }

    /** Job {@code id} changed: reads it once on an I/O thread and wakes everyone waiting for it. */
    void publish(JobId id) {
        Set<CompletableFuture<Optional<Job>>> set = waiters.remove(id);
        if (set == null) {
            return;
        }
        waiting.addAndGet(-set.size());
        boolean handed = threads.tryIo(() -> {
            Optional<Job> now;
            try {
                now = reader.apply(id);
            } catch (RuntimeException e) {
                set.forEach(signal -> signal.completeExceptionally(e));
                return;
            }
            set.forEach(signal -> signal.complete(now));
        });
        if (!handed) {
            set.forEach(signal -> signal.complete(null)); // each waiter reads for itself, or is told to retry
        }
    }

    /**
     * Reads job {@code id} on an I/O thread (for a waiter whose wait ended); fails with
     * {@link StoreUnavailableException} when the engine is too busy to take the read.
     */
    CompletableFuture<Optional<Job>> readLater(JobId id) {
        CompletableFuture<Optional<Job>> answer = new CompletableFuture<>();
        boolean handed = threads.tryIo(() -> {
            try {
                answer.complete(reader.apply(id));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        if (!handed) {
            answer.completeExceptionally(new StoreUnavailableException(
                    "the engine is too busy to answer this wait now", null));
        }
        return answer;
    }

    /** How many waiters there are now. */
    int waiting() {
        return waiting.get();
    }
}
