package io.github.accepted.spi;

import io.github.accepted.JobId;
import java.util.Objects;
import java.util.Set;

/**
 * What renewing the leases of this instance's running jobs found.
 *
 * @param cancelRequested jobs whose owner asked (perhaps on another instance) to cancel them
 * @param lost            jobs this instance no longer holds (their lease expired and another
 *                        instance took them back): their handlers should stop
 */
public record Heartbeat(Set<JobId> cancelRequested, Set<JobId> lost) {

    /** Nothing to report. */
    public static final Heartbeat NONE = new Heartbeat(Set.of(), Set.of());

    /** Copies the sets. */
    public Heartbeat {
        cancelRequested = Set.copyOf(Objects.requireNonNull(cancelRequested, "cancelRequested"));
        lost = Set.copyOf(Objects.requireNonNull(lost, "lost"));
    }
}
