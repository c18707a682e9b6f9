package io.github.accepted;

import java.time.Duration;
import java.util.Objects;

/**
 * A submission refused for lack of room or because the engine is closing. Nothing was queued;
 * the client may try again after {@link #retryAfter()}. Answered with {@code 503}, or with
 * {@code 429} when the submitting owner's own share of the queue is used up
 * ({@link Reason#OWNER_QUEUE_FULL}).
 */
public final class RejectedJobException extends AcceptedException {

    /** Why the job was refused. */
    public enum Reason {
        /** The store holds its maximum number of queued jobs. */
        QUEUE_FULL,
        /** The store holds its maximum number of job records (finished ones included). */
        STORE_FULL,
        /** The engine is closing and takes no new work. */
        SHUTTING_DOWN,
        /**
         * The submitting owner has its maximum number of queued jobs (a per-owner bound, so that
         * one owner cannot fill the queue for everyone); other owners may still submit.
         */
        OWNER_QUEUE_FULL
    }

    private final Reason reason;
    private final Duration retryAfter;

    /** Refused for {@code reason}; worth another try after {@code retryAfter}. */
    public RejectedJobException(Reason reason, String message, Duration retryAfter) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** Why. */
    public Reason reason() {
        return reason;
    }

    /** When a new try may succeed. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
