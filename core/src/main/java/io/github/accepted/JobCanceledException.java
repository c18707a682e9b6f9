package io.github.accepted;

/**
 * Thrown by {@link JobContext#checkCancellation()} when the job's owner asked to cancel it. A
 * handler lets it propagate (or throws it itself) to end the job as {@code canceled}.
 */
public final class JobCanceledException extends AcceptedException {

    /** The job was canceled. */
    public JobCanceledException() {
        super("the job was canceled");
    }
}
