package io.github.accepted.client;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/** The server does not know the job (any more): never existed, expired, removed, or not visible to this caller. */
public final class RemoteJobNotFoundException extends AcceptedClientException {

    private final URI statusUrl;

    RemoteJobNotFoundException(URI statusUrl, @Nullable ProblemDetail problem) {
        super("the job was not found: " + statusUrl, problem, null);
        this.statusUrl = statusUrl;
    }

    /** The job's status monitor. */
    public URI statusUrl() {
        return statusUrl;
    }
}
