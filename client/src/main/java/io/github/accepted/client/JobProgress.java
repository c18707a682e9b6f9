package io.github.accepted.client;

import java.util.Objects;

/**
 * A job's state as its status monitor last showed it.
 *
 * @param status  the status as the server wrote it, lower-cased (such as {@code running})
 * @param percent 0 to 100 (0 when the server gives none)
 * @param message the progress message; empty when none
 */
public record JobProgress(String status, int percent, String message) {

    /** Checks for nulls. */
    public JobProgress {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }
}
