package io.github.accepted;

/**
 * A callback asked for at submission was refused before anything was queued: a malformed or
 * over-long URL, a scheme other than http and https, a host that resolves to a refused address
 * (loopback, private, link-local, …), too many callbacks, or callbacks not enabled. Answered
 * with {@code 400}; the message becomes the problem's {@code detail}.
 */
public final class InvalidCallbackException extends AcceptedException {

    /** Callback refused; {@code message} tells the client why. */
    public InvalidCallbackException(String message) {
        super(message);
    }
}
