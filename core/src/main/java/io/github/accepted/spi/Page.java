package io.github.accepted.spi;

import io.github.accepted.Job;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a job list.
 *
 * @param jobs newest first
 * @param next where the next page starts; empty on the last page
 */
public record Page(List<Job> jobs, Optional<ListCursor> next) {

    /** Copies the list. */
    public Page {
        jobs = List.copyOf(Objects.requireNonNull(jobs, "jobs"));
        Objects.requireNonNull(next, "next");
    }
}
