package io.github.accepted;

import io.github.accepted.spi.Fetch;
import io.github.accepted.spi.StoreUnavailableException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Who is waiting for which job to change. A waiter is a future, not a thread: ten thousand
 * long-polling clients cost ten thousand small objects.
 *
 * <p>A change is announced on a store thread that must not block, so {@link #publish(JobId)}
 * reads nothing itself: it hands one read of the job to the engine's I/O threads, and every
 * waiter of that job is answered from that one snapshot (ten thousand clients waiting on one job
 * cost one read per change, not ten thousand; one per distinct {@link Fetch} when waiters read
 * different parts of the job). Thread-safe.
 */
final class ChangeHub {

    /** One waiting caller: what it reads of the job, and how it is answered. */
    record Waiter(Fetch fetch, CompletableFuture<Optional<Job>> signal) {}

    private final ConcurrentHashMap<JobId, Set<Waiter>> waiters = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final BiFunction<JobId, Fetch, Optional<Job>> reader;
    private final EngineThreads threads;

    ChangeHub(BiFunction<JobId, Fetch, Optional<Job>> reader, EngineThreads threads) {
        this.reader = reader;
        this.threads = threads;
    }

    /**
     * A future that completes at the next change of job {@code id} with the job as it is then
     * (empty if it is gone), or with {@code null} when the snapshot could not be read for it.
     */
    Waiter register(JobId id, Fetch fetch) {
        Waiter waiter = new Waiter(fetch, new CompletableFuture<>());
        waiters.compute(id, (key, set) -> {
            Set<Waiter> next = set != null ? set : new HashSet<>();
            next.add(waiter);
            return next;
        });
        waiting.incrementAndGet();
        return waiter;
    }

    /** Forgets a waiter that stopped waiting (timed out, or was answered). */
    void unregister(JobId id, Waiter waiter) {
        boolean[] removed = {false};
        waiters.computeIfPresent(id, (key, set) -> {
            removed[0] = set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
        if (removed[0]) {
            waiting.decrementAndGet();
        }
    }

    /** Job {@code id} changed: reads it once on an I/O thread and wakes everyone waiting for it. */
    void publish(JobId id) {
        Set<Waiter> set = waiters.remove(id);
        if (set == null) {
            return;
        }
        waiting.addAndGet(-set.size());
        Map<Fetch, List<Waiter>> byFetch = new HashMap<>();
        set.forEach(waiter -> byFetch.computeIfAbsent(waiter.fetch(), f -> new java.util.ArrayList<>())
                .add(waiter));
        byFetch.forEach((fetch, group) -> {
            boolean handed = threads.tryIo(() -> {
                Optional<Job> now;
                try {
                    now = reader.apply(id, fetch);
                } catch (RuntimeException e) {
                    group.forEach(waiter -> waiter.signal().completeExceptionally(e));
                    return;
                }
                group.forEach(waiter -> waiter.signal().complete(now));
            });
            if (!handed) {
                group.forEach(waiter -> waiter.signal().complete(null)); // each reads for itself, or is told to retry
            }
        });
    }

    /**
     * Reads job {@code id} on an I/O thread (for a waiter whose wait ended); fails with
     * {@link StoreUnavailableException} when the engine is too busy to take the read.
     */
    CompletableFuture<Optional<Job>> readLater(JobId id, Fetch fetch) {
        CompletableFuture<Optional<Job>> answer = new CompletableFuture<>();
        boolean handed = threads.tryIo(() -> {
            try {
                answer.complete(reader.apply(id, fetch));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        if (!handed) {
            answer.completeExceptionally(
                    new StoreUnavailableException("the engine is too busy to answer this wait now", null));
        }
        return answer;
    }

    /**
     * Waits, without holding a thread, until job {@code id} changes past {@code afterVersion},
     * is terminal, disappears, or {@code timeout} passes; completes with the job then, as
     * {@code visible} filters it (to what the caller may see).
     */
    CompletableFuture<Optional<Job>> awaitChange(
            JobId id, long afterVersion, Duration timeout, Fetch fetch, UnaryOperator<Optional<Job>> visible) {
        Waiter waiter = register(id, fetch);
        Optional<Job> now = visible.apply(reader.apply(id, fetch));
        if (now.isEmpty()
                || now.get().version() > afterVersion
                || now.get().status().isTerminal()
                || timeout.isZero()
                || timeout.isNegative()) {
            unregister(id, waiter);
            return CompletableFuture.completedFuture(now);
        }
        // the wake-up comes on the engine's I/O threads with the job already read; a wait that
        // ends reads it there too: never on a store thread or on the JDK's shared delay thread
        return waiter.signal()
                .completeOnTimeout(null, timeout.toNanos(), TimeUnit.NANOSECONDS)
                .thenCompose(snapshot -> {
                    unregister(id, waiter);
                    if (snapshot != null) {
                        return CompletableFuture.completedFuture(visible.apply(snapshot));
                    }
                    return readLater(id, fetch).thenApply(visible);
                });
    }

    /** How many waiters there are now. */
    int waiting() {
        return waiting.get();
    }
}
