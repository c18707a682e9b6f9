package io.github.accepted.spi;

import io.github.accepted.AcceptedException;

/**
 * A store could not be reached or failed (a database connection lost, say). Nothing was
 * changed that the caller can rely on; try again. Answered with {@code 503}.
 */
public class StoreUnavailableException extends AcceptedException {

    /** The store failed; {@code cause} says how. */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
