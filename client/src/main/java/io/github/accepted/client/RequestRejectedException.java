package io.github.accepted.client;

import org.jspecify.annotations.Nullable;

/**
 * The server refused a request with a client or server error other than the ones with their own
 * exception: bad input ({@code 400}), too large ({@code 413}), and so on. Nothing was queued.
 */
public final class RequestRejectedException extends AcceptedClientException {

    private final int status;

    RequestRejectedException(int status, @Nullable ProblemDetail problem) {
        super("the server answered " + status, problem, null);
        this.status = status;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
