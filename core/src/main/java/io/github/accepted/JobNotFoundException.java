package io.github.accepted;

/**
 * No job with this id is visible to the caller: it never existed, it expired, or it belongs to
 * someone else (which is never revealed).
 */
public final class JobNotFoundException extends AcceptedException {

    private final transient JobId jobId;

    /** Job {@code jobId} is not there. */
    public JobNotFoundException(JobId jobId) {
        super("no job " + jobId);
        this.jobId = jobId;
    }

    /** The id that was asked for. */
    public JobId jobId() {
        return jobId;
    }
}
