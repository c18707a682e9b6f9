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
     * Who submitted the job, as the owner resolver named them when it was accepted (the
     * principal's name by default); empty for an anonymous job. It is stored with the job, so it
     * is the same on whichever instance runs it. Use it to scope the work ("export <em>my</em>
     * data"); the submitter's security context itself does not travel with the job.
     */
    java.util.Optional<String> owner();

    /**
     * Publishes progress, shown in the status monitor at once. The percentage also tells pollers
     * when to come back: {@code Retry-After} is derived from how fast it grows.
     *
     * @param percent 0 to 100
     * @param message a short text for people, at most {@value Progress#MAX_MESSAGE_LENGTH} characters
     * @throws IllegalArgumentException if the values are out of bounds
     */
    void progress(int percent, String message);

    /** The largest metadata accepted by {@link #metadata(java.util.Map)}, as JSON. */
    int MAX_METADATA_BYTES = 4096;

    /**
     * Publishes small custom values (say, {@code {"rows": 1200, "stage": "render"}}) shown in the
     * status monitor as {@code metadata}, replacing what was published before. Keep secrets out:
     * whoever may poll the job sees them.
     *
     * @throws IllegalArgumentException if they cannot be written as JSON or take more than
     *                                  {@value #MAX_METADATA_BYTES} bytes
     */
    void metadata(java.util.Map<String, ?> values);

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
