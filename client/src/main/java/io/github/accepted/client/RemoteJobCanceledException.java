package io.github.accepted.client;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/** The job ended as canceled. */
public final class RemoteJobCanceledException extends AcceptedClientException {

    private final URI statusUrl;

    RemoteJobCanceledException(URI statusUrl, @Nullable ProblemDetail problem) {
        super("the job was canceled: " + statusUrl, problem, null);
        this.statusUrl = statusUrl;
    }

    /** The job's status monitor. */
    public URI statusUrl() {
        return statusUrl;
    }
}
