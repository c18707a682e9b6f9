package io.github.accepted.spi;

import java.util.Locale;

/**
 * How far the delivery of one {@link Callback} got. On the monitor each is its lower-case name.
 *
 * <pre>
 * waiting → pending (the job ended with a subscribed event) | skipped (another event)
 * pending → pending (an attempt failed; retried later) | delivered | failed (gave up)
 * </pre>
 */
public enum CallbackState {
    /** The job has not ended yet. */
    WAITING,
    /** The job ended; a POST is due, under way, or will be retried. */
    PENDING,
    /** The receiver answered 2xx. Final. */
    DELIVERED,
    /** Given up: past the maximum age, or the job was removed first. Final. */
    FAILED,
    /** The job ended in a state the callback did not ask for. Final. */
    SKIPPED;

    /** The name on the wire: {@code waiting}, {@code pending}, … */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
