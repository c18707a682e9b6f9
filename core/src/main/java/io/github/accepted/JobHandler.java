package io.github.accepted;

import java.time.Duration;

/**
 * The work behind one job type, registered by name with its input class:
 * {@code Accepted.builder().handler("report", ReportRequest.class, handler)}.
 *
 * <p>Register a named handler, not a lambda that captures request state: any instance sharing
 * the store may run any job from its type and input alone. One handler object serves every job
 * of its type, on several threads at once, so it must be thread-safe.
 *
 * @param <I> the input type, read from the submitted JSON with Jackson
 * @param <O> the result: a {@link Payload} is served as it is; anything else is written as JSON
 */
@FunctionalInterface
public interface JobHandler<I, O> {

    /**
     * Does the work.
     *
     * <p>Report progress and check cancellation through {@code context}. To fail with a problem
     * the client should read, throw {@link JobFailedException}; any other exception fails the
     * job with a generic problem (and is logged). If cancellation was requested, throwing
     * {@link JobCanceledException} or {@link InterruptedException} ends the job as canceled.
     *
     * @return the result; must not be null
     * @throws Exception anything; the job fails (or is canceled, see above)
     */
    O handle(I input, JobContext context) throws Exception;

    /**
     * Checks an input when it is submitted, before anything is queued. The default accepts
     * everything that parsed.
     *
     * @throws InvalidInputException to refuse it with {@code 400} and this message
     */
    default void validate(I input) {}

    /**
     * How often a lost attempt of this type's jobs is retried (with a shared store, an instance
     * may die mid-job). Delivery is at least once: a retried job may already have done part or
     * all of its work, so make handlers idempotent (see docs/postgres.md). Default:
     * {@link RetryPolicy#DEFAULT}.
     */
    default RetryPolicy retryPolicy() {
        return RetryPolicy.DEFAULT;
    }

    /**
     * The longest a job of this type may run. Past it the job is recorded as failed (problem type
     * {@code urn:accepted:problem:timeout}) at once and the handler is interrupted; whatever it
     * returns later is ignored. A handler that ignores interruption keeps its worker thread until
     * it returns. Default: no limit.
     */
    default java.util.Optional<Duration> timeout() {
        return java.util.Optional.empty();
    }
}
