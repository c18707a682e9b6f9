package io.github.accepted.spi;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where completion callbacks wait for delivery: the outbox of the webhook feature.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #subscribe(List)} runs before the job is created, so a callback can never miss
 *       the job's end.</li>
 *   <li>When the job ends, its {@link CallbackState#WAITING} callbacks become
 *       {@link Callback#ended pending or skipped}. A database outbox does it in the very
 *       transaction that records the outcome (a trigger), so no instance's death can lose it;
 *       the in-memory outbox does it in {@link #jobChanged(Job)}, as long as the process lives.</li>
 *   <li>{@link #claim} hands each due callback to one caller at a time, under a lease: if that
 *       caller dies, the callback is due again when the lease ends (at least once).</li>
 *   <li>{@link #record} is a compare-and-set on the attempt count: a caller whose lease ran out
 *       and was overtaken records nothing.</li>
 *   <li>Every method is thread-safe.</li>
 * </ul>
 */
public interface CallbackOutbox extends AutoCloseable {

    /** Stores the callbacks of a job about to be created (all waiting, all of one job). */
    void subscribe(List<Callback> callbacks);

    /** Removes every callback of a job (its creation was refused, or it was never created). */
    void forget(JobId jobId);

    /**
     * The engine saw {@code job} change. The in-memory outbox moves the callbacks of a job that
     * ended to pending or skipped, and returns whether any became pending; an outbox that does it
     * in the outcome's transaction ignores it. The default does nothing and returns {@code false}.
     */
    default boolean jobChanged(Job job) {
        return false;
    }

    /**
     * Whether {@code jobId} has callbacks waiting for its end, cheaply and without I/O when the
     * outbox can tell; {@code true} when it cannot (the default).
     */
    default boolean mayBeWaiting(JobId jobId) {
        return true;
    }

    /**
     * Claims up to {@code max} pending callbacks due at {@code now}: each comes back
     * {@link Callback#attempting(Instant) attempting}, leased until {@code now + lease}.
     */
    List<Callback> claim(Instant now, int max, Duration lease);

    /**
     * Records how an attempt ended: replaces {@code attempted} (as {@link #claim} returned it)
     * with {@code next}, if its attempt count is unchanged.
     *
     * @return whether it was recorded
     */
    boolean record(Callback attempted, Callback next);

    /** The callbacks of a job, by index. */
    List<Callback> of(JobId jobId);

    /**
     * Removes callbacks that are finished (delivered, failed, skipped) and ended before
     * {@code before}, and waiting ones created before it whose job does not exist.
     *
     * @return how many were removed
     */
    int purge(Instant before);

    /** Releases what the outbox holds. The default does nothing. */
    @Override
    default void close() {}

    /** An outbox in this process's memory: deliveries live as long as the process. */
    static CallbackOutbox inMemory() {
        return new InMemoryCallbackOutbox();
    }
}
