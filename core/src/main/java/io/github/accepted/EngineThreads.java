package io.github.accepted;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's own threads, each with one kind of work, so that nothing slow can hold up what
 * must be on time.
 *
 * <ul>
 *   <li>{@code accepted-heartbeat}: renews the leases of the jobs running here, and nothing
 *       else. It blocks only on that store call. It runs until the last local job has ended,
 *       through {@code close()}.</li>
 *   <li>{@code accepted-timer}: never blocks. It only keeps time and hands the work that is due
 *       (polls, purges, lease recovery, job timeouts) to the I/O threads.</li>
 *   <li>{@code accepted-io-N}: a bounded pool for the engine's blocking store calls that are not
 *       a request's or a job's own: claims woken by a notification or a poll, the reads that
 *       answer long-polls when a job changes or a wait ends, timeouts, recovery and purges.</li>
 * </ul>
 *
 * <p>Threads that must never block on the store: the store's notification threads (its
 * {@code onChange}, {@code onWork} and {@code onInstanceLost} callbacks), the timer, and the
 * JDK's shared {@code CompletableFuture} delay thread. Threads that may: request threads (for
 * their own submit, find or cancel), worker threads (for their own job), the heartbeat thread
 * (for heartbeats) and the I/O pool. Thread-safe.
 */
final class EngineThreads {

    /** Default number of I/O threads. */
    static final int DEFAULT_IO_THREADS = 4;
    /** Tasks the I/O pool holds before it refuses more. */
    static final int IO_QUEUE = 65_536;

    private static final Logger LOG = LoggerFactory.getLogger(EngineThreads.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(named("accepted-timer"));
    private final ScheduledExecutorService heartbeat =
            Executors.newSingleThreadScheduledExecutor(named("accepted-heartbeat"));
    private final ThreadPoolExecutor io;

    EngineThreads(int ioThreads) {
        this.io = new ThreadPoolExecutor(
                ioThreads, ioThreads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(IO_QUEUE), named("accepted-io-"));
        io.allowCoreThreadTimeOut(true);
    }

    /** The bounded pool for blocking engine work. */
    Executor io() {
        return io;
    }

    /**
     * Runs {@code task} on the I/O pool every {@code interval}; a run still going (or waiting)
     * when the next is due is not doubled. Returns a handle to stop it.
     */
    ScheduledFuture<?> every(Duration interval, String what, Runnable task) {
        AtomicBoolean pending = new AtomicBoolean();
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("{} failed; will try again", what, e);
            } finally {
                pending.set(false);
            }
        };
        long millis = Math.max(1, interval.toMillis());
        return timer.scheduleWithFixedDelay(
                () -> {
                    if (pending.compareAndSet(false, true)) {
                        if (!tryIo(guarded)) {
                            pending.set(false);
                        }
                    }
                },
                millis,
                millis,
                TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} on the I/O pool after {@code delay}; empty handle when closing. */
    @Nullable
    ScheduledFuture<?> after(Duration delay, Runnable task) {
        try {
            return timer.schedule(
                    () -> {
                        if (!tryIo(task)) {
                            LOG.warn("engine busy or closing: a timed task was dropped");
                        }
                    },
                    delay.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /**
     * Runs {@code task} after {@code delay} and never drops it: on the I/O pool, or on a thread of
     * its own when the pool refuses or the timer is shut down (closing). For work that must
     * happen, such as recording an outcome again.
     */
    void afterSurely(Duration delay, Runnable task) {
        try {
            var unused = timer.schedule(
                    () -> {
                        if (!tryIo(task)) {
                            onOwnThread(task);
                        }
                    },
                    delay.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            onOwnThread(() -> {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                task.run();
            });
        }
    }

    /** Runs {@code task} on a new daemon thread: when the pools refuse work that must not be dropped. */
    void onOwnThread(Runnable task) {
        Thread thread = new Thread(task, "accepted-engine-fallback");
        thread.setDaemon(true);
        thread.start();
    }

    /** Renews leases every {@code interval} on the heartbeat thread, which does nothing else. */
    void heartbeats(Duration interval, Runnable beat) {
        long millis = Math.max(1, interval.toMillis());
        var unused = heartbeat.scheduleWithFixedDelay( // ends with the executor: nothing to keep
                () -> {
                    try {
                        beat.run();
                    } catch (RuntimeException e) {
                        LOG.warn("renewing leases failed; will try again", e);
                    }
                },
                millis,
                millis,
                TimeUnit.MILLISECONDS);
    }

    /** Hands {@code task} to the I/O pool; false when the pool is full or shut down. */
    boolean tryIo(Runnable task) {
        try {
            io.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Stops everything; the heartbeat last, once no local job holds a lease. */
    void shutdown() {
        timer.shutdownNow();
        heartbeat.shutdownNow();
        io.shutdown();
        try {
            if (!io.awaitTermination(1, TimeUnit.SECONDS)) {
                io.shutdownNow();
            }
        } catch (InterruptedException e) {
            io.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name.endsWith("-") ? name + count.incrementAndGet() : name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
