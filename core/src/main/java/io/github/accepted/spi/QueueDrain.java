package io.github.accepted.spi;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * How fast jobs have been leaving a store's queue lately (claimed, canceled or removed), for
 * the {@code Retry-After} of a refusal: a full queue answers with the time its backlog takes to
 * drain at that rate, instead of a constant. Counts departures per second over the last
 * {@value #WINDOW_SECONDS} seconds. Stores call {@link #departed(int)} as jobs leave the queue
 * and {@link #retryAfter(long)} when they refuse one. Thread-safe and lock-free.
 */
public final class QueueDrain {

    /** The shortest {@code Retry-After} given: 1 second. */
    public static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);
    /** The longest {@code Retry-After} given, also when nothing left the queue lately: 60 seconds. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);
    /** How many past seconds the rate is taken over. */
    public static final int WINDOW_SECONDS = 10;

    private final LongSupplier nanoTime;
    private final AtomicLongArray counts = new AtomicLongArray(WINDOW_SECONDS);
    private final AtomicLongArray seconds = new AtomicLongArray(WINDOW_SECONDS);

    /** A rate measured on {@link System#nanoTime()}. */
    public QueueDrain() {
        this(System::nanoTime);
    }

    QueueDrain(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            seconds.set(i, Long.MIN_VALUE);
        }
    }

    /** {@code jobs} left the queue just now. */
    public void departed(int jobs) {
        long second = Math.floorDiv(nanoTime.getAsLong(), 1_000_000_000L);
        int slot = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
        long held = seconds.get(slot);
        if (held != second && seconds.compareAndSet(slot, held, second)) {
            counts.set(slot, 0); // a departure counted in between may be lost: an estimate
        }
        counts.addAndGet(slot, jobs);
    }

    /**
     * How long {@code backlog} queued jobs take to leave the queue at the recent rate, between
     * {@link #MIN_RETRY_AFTER} and {@link #MAX_RETRY_AFTER}; the maximum when none left lately.
     */
    public Duration retryAfter(long backlog) {
        long second = Math.floorDiv(nanoTime.getAsLong(), 1_000_000_000L);
        long departed = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (second - seconds.get(i) < WINDOW_SECONDS) {
                departed += counts.get(i);
            }
        }
        if (departed <= 0) {
            return MAX_RETRY_AFTER;
        }
        double perSecond = departed / (double) WINDOW_SECONDS;
        double wait = Math.ceil((double) Math.max(0, backlog) / perSecond);
        return Duration.ofSeconds((long)
                Math.max((double) MIN_RETRY_AFTER.toSeconds(), Math.min((double) MAX_RETRY_AFTER.toSeconds(), wait)));
    }
}
