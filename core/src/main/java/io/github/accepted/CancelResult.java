package io.github.accepted;

import java.util.Objects;

/**
 * What {@link Accepted#cancel(JobId, String)} did.
 *
 * @param outcome which of the three things happened
 * @param job     the job after it (for {@link Outcome#REMOVED}, the record as it was removed)
 */
public record CancelResult(Outcome outcome, Job job) {

    /** The three things a cancel request can do. */
    public enum Outcome {
        /** The job was queued and is now canceled. */
        CANCELED,
        /** The job is running; cancellation was requested and its handler told. */
        REQUESTED,
        /** The job had finished; its record was removed. */
        REMOVED
    }

    /** Checks for nulls. */
    public CancelResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(job, "job");
    }
}
