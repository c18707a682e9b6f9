package io.github.accepted;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a job whose attempt was lost (its worker died, or stopped renewing its lease) is
 * tried again, and how long to wait between tries. Handler exceptions are not retried: they fail
 * the job at once.
 *
 * @param maxAttempts    attempts in all, at least 1; after the last is lost the job fails
 * @param initialBackoff wait before the second attempt; doubles for each next one
 * @param maxBackoff     the longest wait between attempts
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** 3 attempts, 1 s then 2 s apart (at most 30 s). */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30));

    /** Checks the values. */
    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoffs must satisfy 0 <= initial <= max");
        }
    }

    /** The wait before attempt {@code attempt + 1}, after attempt {@code attempt} (from 1) was lost. */
    public Duration backoffAfter(int attempt) {
        Duration backoff = initialBackoff;
        for (int i = 1; i < attempt && backoff.compareTo(maxBackoff) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }
}
