package io.github.accepted;

/**
 * The root of every exception Accepted throws. Unchecked.
 */
public class AcceptedException extends RuntimeException {

    /** An exception with this message. */
    public AcceptedException(String message) {
        super(message);
    }

    /** An exception with this message and cause. */
    public AcceptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
