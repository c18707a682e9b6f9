package io.github.accepted;

/**
 * What a running handler can see of its job and tell about it.
 *
 * <p>One context per attempt, used by the handler's own thread (and any thread it hands the
 * context to: every method is thread-safe).
 */
public interface JobContext {

    /** The job's id. */
    JobId jobId();

    /** Which attempt this is, from 1. */
    int attempt();

    /**
     * Publishes progress, shown in the status monitor at once.
     *
     * @param percent 0 to 100
     * @param message a short text for people, at most {@value Progress#MAX_MESSAGE_LENGTH} characters
     * @throws IllegalArgumentException if the values are out of bounds
     */
    void progress(int percent, String message);

    /**
     * Whether cancellation was asked for (by the job's owner, or by shutdown). A handler should
     * check it between steps and stop early; it is also interrupted when it is asked.
     */
    boolean isCancellationRequested();

    /**
     * Throws {@link JobCanceledException} if cancellation was asked for: a one-line check
     * between steps.
     */
    default void checkCancellation() {
        if (isCancellationRequested()) {
            throw new JobCanceledException();
        }
    }
}
