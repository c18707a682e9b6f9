package io.github.accepted;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who is waiting for which job to change. A waiter is a future, not a thread: ten thousand
 * long-polling clients cost ten thousand small objects. Thread-safe.
 */
final class ChangeHub {

    private final ConcurrentHashMap<JobId, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();

    /** A future that completes at the next change of job {@code id}. */
    CompletableFuture<Void> register(JobId id) {
        CompletableFuture<Void> signal = new CompletableFuture<>();
        waiters.compute(id, (key, set) -> {
            Set<CompletableFuture<Void>> next = set != null ? set : new HashSet<>();
            next.add(signal);
            return next;
        });
        waiting.incrementAndGet();
        return signal;
    }

    /** Forgets a waiter that stopped waiting (timed out, or was answered). */
    void unregister(JobId id, CompletableFuture<Void> signal) {
        boolean[] removed = {false};
        waiters.computeIfPresent(id, (key, set) -> {
            removed[0] = set.remove(signal);
            return set.isEmpty() ? null : set;
        });
        if (removed[0]) {
            waiting.decrementAndGet();
        }
    }

    /** Job {@code id} changed: wakes everyone waiting for it. */
    void publish(JobId id) {
        Set<CompletableFuture<Void>> set = waiters.remove(id);
        if (set != null) {
            waiting.addAndGet(-set.size());
            for (CompletableFuture<Void> signal : set) {
                signal.complete(null);
            }
        }
    }

    /** How many waiters there are now. */
    int waiting() {
        return waiting.get();
    }
}
