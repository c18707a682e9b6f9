package io.github.accepted.client;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/** The job ended as failed; {@link #problem()} says why. */
public final class RemoteJobFailedException extends AcceptedClientException {

    private final URI statusUrl;

    RemoteJobFailedException(URI statusUrl, @Nullable ProblemDetail problem) {
        super("the job failed: " + statusUrl, problem, null);
        this.statusUrl = statusUrl;
    }

    /** The job's status monitor. */
    public URI statusUrl() {
        return statusUrl;
    }
}
