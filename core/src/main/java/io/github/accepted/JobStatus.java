package io.github.accepted;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The life cycle of a job, and the one table of moves between its states.
 *
 * <pre>
 * queued  → running | canceled
 * running → running (progress, cancellation request) | succeeded | failed | canceled
 *         | queued (lease lost, retry)
 * succeeded, failed, canceled: terminal, never change
 * </pre>
 *
 * <p>On the wire each state is its lower-case name ({@link #wireName()}).
 */
public enum JobStatus {
    /** Accepted and waiting for a worker. */
    QUEUED,
    /** Claimed by a worker; its handler is running. */
    RUNNING,
    /** The handler returned a result. Terminal. */
    SUCCEEDED,
    /** The handler failed, timed out or was stopped by shutdown. Terminal. */
    FAILED,
    /** Canceled by its owner before or while it ran. Terminal. */
    CANCELED;

    private static final Map<JobStatus, Set<JobStatus>> ALLOWED = new EnumMap<>(JobStatus.class);

    static {
        ALLOWED.put(QUEUED, EnumSet.of(RUNNING, CANCELED));
        ALLOWED.put(RUNNING, EnumSet.of(RUNNING, SUCCEEDED, FAILED, CANCELED, QUEUED));
        ALLOWED.put(SUCCEEDED, EnumSet.noneOf(JobStatus.class));
        ALLOWED.put(FAILED, EnumSet.noneOf(JobStatus.class));
        ALLOWED.put(CANCELED, EnumSet.noneOf(JobStatus.class));
    }

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** Whether the job has finished for good: succeeded, failed or canceled. */
    public boolean isTerminal() {
        return Objects.requireNonNull(ALLOWED.get(this)).isEmpty();
    }

    /** Whether the table allows the move from this state to {@code next}. */
    public boolean canTransitionTo(JobStatus next) {
        return Objects.requireNonNull(ALLOWED.get(this)).contains(next);
    }

    /** The name used on the wire: {@code queued}, {@code running}, … */
    public String wireName() {
        return wireName;
    }

    /** The state with this wire name (case-insensitive), or empty. */
    public static Optional<JobStatus> fromWireName(String name) {
        for (JobStatus status : values()) {
            if (status.wireName.equalsIgnoreCase(name)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
