package io.github.accepted;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception Accepted throws. Unchecked.
 */
public class AcceptedException extends RuntimeException {

    /** An exception with this message. */
    public AcceptedException(String message) {
        super(message);
    }

    /** An exception with this message and cause. */
    public AcceptedException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
