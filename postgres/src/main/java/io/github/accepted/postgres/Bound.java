package io.github.accepted.postgres;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A limit on a number of rows that avoids a {@code count(*)} on every insert: far from the
 * limit it trusts a count at most {@link #REFRESH_NANOS} old plus this instance's own inserts
 * since; near the limit (90 % or more) it counts every time. Other instances' inserts are the
 * only ones the estimate can miss, so the limit can be overshot only by what they insert within
 * one refresh period while this instance sees the table below 90 %.
 */
final class Bound {

    static final long REFRESH_NANOS = 100_000_000L;

    private final long limit;
    private final LongSupplier counter;
    private final LongSupplier nanoTime;
    private final AtomicLong estimate = new AtomicLong();
    private volatile long countedAt;
    private volatile boolean counted;

    Bound(long limit, LongSupplier counter) {
        this(limit, counter, System::nanoTime);
    }

    Bound(long limit, LongSupplier counter, LongSupplier nanoTime) {
        this.limit = limit;
        this.counter = counter;
        this.nanoTime = nanoTime;
    }

    boolean unlimited() {
        return limit >= Integer.MAX_VALUE;
    }

    /** Whether one more row would still be within the limit. */
    boolean hasRoom() {
        if (unlimited()) {
            return true;
        }
        long now = nanoTime.getAsLong();
        if (!counted || now - countedAt > REFRESH_NANOS || estimate.get() * 10 >= limit * 9) {
            recount();
        }
        return estimate.get() < limit;
    }

    /** Counts now (after a purge, say). */
    void recount() {
        long now = nanoTime.getAsLong();
        estimate.set(counter.getAsLong());
        countedAt = now;
        counted = true;
    }

    /** This instance inserted a row. */
    void inserted() {
        estimate.incrementAndGet();
    }
}
