package io.github.accepted.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The threads that run handlers, and how many jobs may run at once.
 *
 * <p>The engine never runs more than {@link #concurrency()} jobs at a time and tracks each
 * one itself, so any {@link Executor} works: {@link #fixedThreadPool(int)} (the default), or
 * on Java 21+ {@code JobExecutor.of(Executors.newVirtualThreadPerTaskExecutor(), 1000)}.
 */
public interface JobExecutor {

    /** How many jobs may run at once; at least 1. */
    int concurrency();

    /**
     * Runs {@code task} on another thread.
     *
     * @throws java.util.concurrent.RejectedExecutionException if it cannot
     */
    void execute(Runnable task);

    /**
     * Called once when the engine closes, after the jobs it started have ended: releases the
     * threads if this executor owns them. Waits at most {@code timeout}.
     */
    void shutdown(Duration timeout);

    /**
     * A fixed pool of daemon threads named {@code accepted-worker-N}, owned (and shut down) by
     * the engine.
     *
     * @param threads at least 1
     */
    static JobExecutor fixedThreadPool(int threads) {
        return new FixedThreadPoolExecutor(threads);
    }

    /**
     * Runs jobs on an executor the application owns (and shuts down itself).
     *
     * @param executor    where to run handlers
     * @param concurrency at most this many at once, at least 1
     */
    static JobExecutor of(Executor executor, int concurrency) {
        Objects.requireNonNull(executor, "executor");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        return new JobExecutor() {
            @Override
            public int concurrency() {
                return concurrency;
            }

            @Override
            public void execute(Runnable task) {
                executor.execute(task);
            }

            @Override
            public void shutdown(Duration timeout) {
                // the application owns the executor
            }
        };
    }
}
