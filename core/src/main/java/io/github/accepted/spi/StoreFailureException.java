package io.github.accepted.spi;

import io.github.accepted.AcceptedException;

/**
 * A store failed in a way that trying again will not mend: a constraint violated, a statement
 * the database does not understand (a column dropped, a schema not migrated), a bug. It is a
 * defect to fix, not a moment to wait out, unlike {@link StoreUnavailableException}: the engine
 * does not retry it, and the protocol engine answers it with {@code 500} and logs it. Whether
 * the change was made is unknown only if the store says so; a compare-and-set store normally
 * made none.
 */
public class StoreFailureException extends AcceptedException {

    /** The store failed; {@code cause} says how. */
    public StoreFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
