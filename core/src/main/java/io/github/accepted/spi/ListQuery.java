package io.github.accepted.spi;

import io.github.accepted.JobStatus;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which of an owner's jobs to list, newest first.
 *
 * @param owner    the owner (never empty: anonymous jobs are not listed)
 * @param statuses only jobs in these states; empty for all
 * @param after    continue after this position (from {@link Page#next()})
 * @param limit    at most this many, 1 to {@value #MAX_LIMIT}
 * @param fetch    which payloads to load (see {@link JobStore#find(io.github.accepted.JobId, Fetch)})
 */
public record ListQuery(String owner, Set<JobStatus> statuses, Optional<ListCursor> after, int limit, Fetch fetch) {

    /** The largest page. */
    public static final int MAX_LIMIT = 1000;

    /** Checks the values and copies the set. */
    public ListQuery {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(fetch, "fetch");
        Objects.requireNonNull(after, "after");
        statuses = Set.copyOf(Objects.requireNonNull(statuses, "statuses"));
        if (owner.isEmpty()) {
            throw new IllegalArgumentException("anonymous jobs are not listed");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be within 1.." + MAX_LIMIT);
        }
    }

    /** A query that loads every payload ({@link Fetch#ALL}). */
    public ListQuery(String owner, Set<JobStatus> statuses, Optional<ListCursor> after, int limit) {
        this(owner, statuses, after, limit, Fetch.ALL);
    }

    /** Whether a job in state {@code status} belongs in the answer. */
    public boolean accepts(JobStatus status) {
        return statuses.isEmpty() || statuses.contains(status);
    }
}
