package io.github.accepted.client;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The root of everything the client throws. Unchecked. Carries the server's problem when it
 * sent one.
 */
public class AcceptedClientException extends RuntimeException {

    private final transient @Nullable ProblemDetail problem;

    AcceptedClientException(String message, @Nullable ProblemDetail problem, @Nullable Throwable cause) {
        super(problem == null ? message : message + " — " + problem, cause);
        this.problem = problem;
    }

    /** The RFC 9457 problem the server sent, if any. */
    public Optional<ProblemDetail> problem() {
        return Optional.ofNullable(problem);
    }
}
