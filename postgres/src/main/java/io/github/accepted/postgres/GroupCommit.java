package io.github.accepted.postgres;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Coalesces concurrent writes into batches, each written in one statement and one commit by one
 * of the waiting callers (group commit). Every caller blocks until its own entry is written.
 *
 * <p>Adaptive, with no timer: a caller arriving while fewer than {@code maxInFlight} batches are
 * being written writes at once (alone, when the store is idle); callers arriving while the
 * flushes in flight are busy wait, and the first of them to see a flush end takes up to
 * {@code maxBatch} waiting entries (oldest first) and writes them. The waiting buffer holds at
 * most {@code maxPending} entries; past it a caller is refused (submits) or waits for room
 * (outcomes).
 *
 * <p>Entries with {@linkplain Entry#key() the same key} never share a batch (an {@code UPDATE …
 * FROM unnest} changes a row once per statement), nor are written at once: the later one waits
 * until the earlier one is written (so that it can tell whether that one won), unless the
 * last waiting one with its key {@linkplain Entry#absorb absorbs} it into its own row (a queued
 * entry only; both complete with that row's outcome). Thread-safe.
 *
 * @param <E> what is written
 */
final class GroupCommit<E extends GroupCommit.Entry> {

    /** One caller's write; its outcome is set by the {@link Writer}. */
    abstract static class Entry {
        boolean done; // guarded by the lock

        @Nullable
        RuntimeException failure;

        /** The row written (a job's id): entries with equal keys are written in different batches. */
        abstract String key();

        /** Fails this entry alone: its caller gets {@code e}. */
        final void fail(RuntimeException e) {
            failure = e;
        }

        final void clearFailure() {
            failure = null;
        }

        final boolean failed() {
            return failure != null;
        }

        /** Called once the entry is written (or failed), outside the lock, for entries nobody waits for. */
        void written() {}

        /** Entries {@linkplain #absorb absorbed} into this one's row; guarded by the lock. */
        @Nullable
        List<Entry> absorbed;

        /**
         * Whether this waiting entry takes {@code later} (queued after it, with the same key)
         * into its own row, so that one write does for both; called under the lock.
         */
        boolean absorb(Entry later) {
            return false;
        }

        /** Takes the outcome of the row {@code row} that absorbed this entry, before {@link #written()}. */
        void writtenIn(Entry row) {
            failure = row.failure;
        }
    }

    /** Writes one batch; sets each entry's outcome, or {@link Entry#fail fails} it. */
    interface Writer<E extends Entry> {
        void write(List<E> batch);
    }

    private final String name;
    private final Writer<E> writer;
    private final int maxBatch;
    private final int maxInFlight;
    private final int maxPending;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<E> pending = new ArrayList<>(); // guarded by lock; oldest first
    private int inFlight; // guarded by lock
    private int inFlightEntries; // guarded by lock
    private final Set<String> inFlightKeys = new HashSet<>(); // guarded by lock: keys of the batches being written
    private int flushers; // guarded by lock: flusher tasks of queued entries, scheduled or running
    private final @Nullable Executor flusherThreads;
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong written = new AtomicLong();

    GroupCommit(String name, int maxBatch, int maxInFlight, int maxPending, Writer<E> writer) {
        this(name, maxBatch, maxInFlight, maxPending, writer, null);
    }

    /**
     * With {@code flusherThreads}, entries may also be {@linkplain #enqueue queued} without
     * their caller waiting: at most {@code maxInFlight} flusher tasks run on it at once.
     */
    GroupCommit(
            String name,
            int maxBatch,
            int maxInFlight,
            int maxPending,
            Writer<E> writer,
            @Nullable Executor flusherThreads) {
        this.flusherThreads = flusherThreads;
        this.name = name;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.maxPending = maxPending;
        this.writer = writer;
    }

    /**
     * Writes {@code entry} with whatever else is waiting, and returns once it is written (its
     * outcome set) or throws what it failed with. With the buffer full, throws what
     * {@code whenFull} gives, or waits for room if that is null.
     */
    void write(E entry, @Nullable Supplier<RuntimeException> whenFull) {
        lock.lock();
        try {
            while (pending.size() >= maxPending) {
                if (whenFull != null) {
                    throw whenFull.get();
                }
                changed.awaitUninterruptibly(); // a caller waiting for its own write cannot walk away
            }
            pending.add(entry);
            while (!entry.done) {
                if (inFlight < maxInFlight && flushable()) {
                    flushOne();
                } else {
                    changed.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
        if (entry.failure != null) {
            throw entry.failure;
        }
    }

    /**
     * Queues {@code entry} to be written with whatever else is waiting, without waiting for the
     * write: a flusher thread writes it and then calls {@link Entry#written()}. With the buffer
     * full, waits for room (backpressure: nothing is dropped).
     */
    void enqueue(E entry) {
        Executor threads = flusherThreads;
        if (threads == null) {
            throw new IllegalStateException(name + ": no flusher threads");
        }
        lock.lock();
        try {
            while (pending.size() >= maxPending) {
                changed.awaitUninterruptibly();
            }
            if (absorbedByPending(entry)) {
                return; // written with the row it joined
            }
            pending.add(entry);
            // a new flusher when every one is busy writing (or none runs), up to maxInFlight
            if (flushers < maxInFlight && inFlight >= flushers) {
                flushers++;
                try {
                    threads.execute(this::flushQueued);
                } catch (RuntimeException e) {
                    flushers--;
                    throw e;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the last waiting entry with {@code entry}'s key took it into its row (only that
     * one: joining an older one would write it before changes queued between them).
     */
    private boolean absorbedByPending(E entry) {
        String key = entry.key();
        for (int i = pending.size() - 1; i >= 0; i--) {
            E waiting = pending.get(i);
            if (waiting.key().equals(key)) {
                if (!waiting.absorb(entry)) {
                    return false;
                }
                List<Entry> joined = waiting.absorbed;
                if (joined == null) {
                    joined = new ArrayList<>(2);
                    waiting.absorbed = joined;
                }
                joined.add(entry);
                return true;
            }
        }
        return false;
    }

    /** A flusher task: writes what waits until nothing does. */
    private void flushQueued() {
        lock.lock();
        try {
            while (!pending.isEmpty()) {
                if (inFlight < maxInFlight && flushable()) {
                    flushOne();
                } else {
                    changed.awaitUninterruptibly();
                }
            }
        } finally {
            flushers--;
            lock.unlock();
        }
    }

    /** Whether a waiting entry's key is not being written now; called holding the lock. */
    private boolean flushable() {
        if (inFlightKeys.isEmpty()) {
            return !pending.isEmpty();
        }
        for (E entry : pending) {
            if (!inFlightKeys.contains(entry.key())) {
                return true;
            }
        }
        return false;
    }

    /** Takes a batch and writes it on this thread; called and returns holding the lock. */
    @SuppressWarnings(
            "LockNotBeforeTry") // re-taken in the finally to book the flush's end; released there, before the callbacks
    private void flushOne() {
        List<E> batch = new ArrayList<>(Math.min(pending.size(), maxBatch));
        Set<String> keys = new HashSet<>();
        for (Iterator<E> it = pending.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
            E next = it.next();
            if (!inFlightKeys.contains(next.key()) && keys.add(next.key())) {
                batch.add(next);
                it.remove();
            }
        }
        inFlight++;
        inFlightEntries += batch.size();
        inFlightKeys.addAll(keys);
        lock.unlock();
        // the batch is everyone's: an interrupt of the thread that happens to write it (a handler
        // told to stop) must not fail the other callers' rows; it is kept for the thread's own use
        boolean interrupted = Thread.interrupted();
        try {
            flushes.incrementAndGet();
            written.addAndGet(batch.size());
            writer.write(batch);
        } catch (RuntimeException | Error e) {
            RuntimeException failure =
                    e instanceof RuntimeException r ? r : new IllegalStateException("could not write " + name, e);
            for (E entry : batch) {
                if (entry.failure == null) {
                    entry.failure = failure;
                }
            }
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            lock.lock();
            inFlight--;
            inFlightEntries -= batch.size();
            inFlightKeys.removeAll(keys);
            List<Entry> joined = new ArrayList<>();
            for (E entry : batch) {
                entry.done = true;
                List<Entry> absorbed = entry.absorbed;
                if (absorbed != null) {
                    for (Entry later : absorbed) {
                        later.writtenIn(entry);
                        later.done = true;
                        joined.add(later);
                    }
                }
            }
            changed.signalAll();
            lock.unlock();
            try {
                for (E entry : batch) {
                    entry.written();
                }
                for (Entry later : joined) {
                    later.written();
                }
            } finally {
                lock.lock();
            }
        }
    }

    /** Waits until nothing is waiting or being written, at most {@code timeoutMillis}; whether that happened. */
    boolean awaitIdle(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (inFlight > 0 || !pending.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Batches written so far (for tests: whether concurrent writes shared one). */
    long flushes() {
        return flushes.get();
    }

    /** Entries written so far, batched or not. */
    long written() {
        return written.get();
    }

    /** Entries waiting or being written now. */
    int buffered() {
        lock.lock();
        try {
            int count = pending.size();
            return count + inFlightEntries;
        } finally {
            lock.unlock();
        }
    }
}
