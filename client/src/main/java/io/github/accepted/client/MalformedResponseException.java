package io.github.accepted.client;

import org.jspecify.annotations.Nullable;

/** The server's answer broke the protocol: a body that should be JSON is not, a 202 with nowhere to poll. */
public final class MalformedResponseException extends AcceptedClientException {

    MalformedResponseException(String message, @Nullable Throwable cause) {
        super(message, null, cause);
    }
}
