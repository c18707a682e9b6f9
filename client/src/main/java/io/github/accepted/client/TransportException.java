package io.github.accepted.client;

import org.jspecify.annotations.Nullable;

/**
 * The server could not be reached, or kept failing (network errors, {@code 5xx}), more times in a
 * row than the client retries.
 */
public final class TransportException extends AcceptedClientException {

    TransportException(String message, @Nullable Throwable cause) {
        super(message, null, cause);
    }
}
