package io.github.accepted;

import java.util.Objects;

/**
 * What a submission did.
 *
 * @param job     the job, as queued (or, for a repeated idempotency key, as it is now)
 * @param created whether this submission created it ({@code false}: the key named it already)
 */
public record Submission(Job job, boolean created) {

    /** Checks for nulls. */
    public Submission {
        Objects.requireNonNull(job, "job");
    }
}
