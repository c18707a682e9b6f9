package io.github.accepted.client;

import java.time.Duration;
import java.util.Optional;

/**
 * The server refused the submission for now ({@code 503}): its queue is full or it is shutting
 * down. Nothing was queued; try again after {@link #retryAfter()}.
 */
public final class ServerBusyException extends AcceptedClientException {

    private final Duration retryAfter;

    ServerBusyException(Duration retryAfter, ProblemDetail problem) {
        super("the server refused the job for now", problem, null);
        this.retryAfter = retryAfter;
    }

    /** When the server said to try again, if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
