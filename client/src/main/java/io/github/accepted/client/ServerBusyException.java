package io.github.accepted.client;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The server refused the submission for now ({@code 503}): its queue is full or it is shutting
 * down. Nothing was queued; try again after {@link #retryAfter()}.
 */
public final class ServerBusyException extends AcceptedClientException {

    private final @Nullable Duration retryAfter;

    ServerBusyException(@Nullable Duration retryAfter, @Nullable ProblemDetail problem) {
        super("the server refused the job for now", problem, null);
        this.retryAfter = retryAfter;
    }

    /** When the server said to try again, if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
