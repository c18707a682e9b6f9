package io.github.accepted;

import java.util.Objects;

/**
 * Thrown by a handler to fail its job with a problem meant for the client.
 *
 * <p>Any other exception fails the job with a generic problem that reveals nothing of it (it is
 * logged on the server); this one's {@link #problem()} is shown to the client as it is.
 */
public final class JobFailedException extends AcceptedException {

    private final Problem problem;

    /** Fail the job with a problem of type {@code urn:accepted:problem:job-failed} and this detail. */
    public JobFailedException(String detail) {
        this(Problem.of("job-failed", "Job failed", 422, detail));
    }

    /** Fail the job with this problem. */
    public JobFailedException(Problem problem) {
        super(Objects.requireNonNull(problem, "problem").detail());
        this.problem = problem;
    }

    /** What the client will see. */
    public Problem problem() {
        return problem;
    }
}
