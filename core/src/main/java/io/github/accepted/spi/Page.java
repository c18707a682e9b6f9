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

    /**
     * A page from up to {@code limit + 1} jobs found in list order: the first {@code limit}, and
     * a {@code next} cursor when there was one more (the way stores tell that a next page exists).
     */
    public static Page fromOverfetch(List<Job> found, int limit) {
        if (found.size() > limit) {
            List<Job> page = found.subList(0, limit);
            return new Page(page, Optional.of(ListCursor.of(page.get(page.size() - 1))));
        }
        return new Page(found, Optional.empty());
    }

    /** Copies the list. */
    public Page {
        jobs = List.copyOf(Objects.requireNonNull(jobs, "jobs"));
        Objects.requireNonNull(next, "next");
    }
}
