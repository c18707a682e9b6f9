package io.github.accepted;

/**
 * A move that {@link JobStatus}'s table does not allow, such as {@code succeeded → running}.
 * It signals a bug in the caller, never a client error.
 */
public final class IllegalTransitionException extends AcceptedException {

    private final transient JobId jobId;
    private final JobStatus from;
    private final JobStatus to;

    /** The refused move {@code from → to} of job {@code jobId}. */
    public IllegalTransitionException(JobId jobId, JobStatus from, JobStatus to) {
        super("job " + jobId + " cannot move from " + from.wireName() + " to " + to.wireName());
        this.jobId = jobId;
        this.from = from;
        this.to = to;
    }

    /** The job concerned. */
    public JobId jobId() {
        return jobId;
    }

    /** Its state. */
    public JobStatus from() {
        return from;
    }

    /** The state the caller asked for. */
    public JobStatus to() {
        return to;
    }
}
