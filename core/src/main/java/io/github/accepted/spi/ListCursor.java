package io.github.accepted.spi;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import java.time.Instant;
import java.util.Objects;

/**
 * A position in an owner's job list: jobs are ordered newest first by {@code createdAt}, then
 * by id (descending) among jobs created at the same instant.
 *
 * @param createdAt the creation time of the last job seen
 * @param id        its id
 */
public record ListCursor(Instant createdAt, JobId id) {

    /** Checks for nulls. */
    public ListCursor {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(id, "id");
    }

    /** The position of {@code job}. */
    public static ListCursor of(Job job) {
        return new ListCursor(job.createdAt(), job.id());
    }
}
