package io.github.accepted.client;

import java.net.URI;
import java.time.Duration;

/**
 * The job did not finish within the time the caller gave. It may still finish on the server:
 * await it again, or cancel it.
 */
public final class AwaitTimeoutException extends AcceptedClientException {

    private final URI statusUrl;

    AwaitTimeoutException(URI statusUrl, Duration timeout) {
        super("the job did not finish within " + timeout + ": " + statusUrl, null, null);
        this.statusUrl = statusUrl;
    }

    /** The job's status monitor. */
    public URI statusUrl() {
        return statusUrl;
    }
}
