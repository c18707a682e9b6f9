package io.github.accepted.spi;

import io.github.accepted.AcceptedException;
import org.jspecify.annotations.Nullable;

/**
 * A store could not be reached or failed for a moment (a database connection lost, a
 * serialization failure, a deadlock, the server restarting). Nothing was changed that the
 * caller can rely on; try again. Answered with {@code 503}; the engine retries recording an
 * outcome a few times. A failure that trying again will not mend is a
 * {@link StoreFailureException} instead.
 */
public class StoreUnavailableException extends AcceptedException {

    /** The store failed; {@code cause} says how. */
    public StoreUnavailableException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
