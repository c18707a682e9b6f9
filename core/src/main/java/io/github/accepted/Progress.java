package io.github.accepted;

import java.util.Objects;

/**
 * How far a running job has come: a percentage and a short message for people.
 *
 * @param percent 0 to 100
 * @param message at most {@value #MAX_MESSAGE_LENGTH} characters; empty when there is none
 */
public record Progress(int percent, String message) {

    /** The longest message kept. */
    public static final int MAX_MESSAGE_LENGTH = 500;

    /** No progress reported yet. */
    public static final Progress NONE = new Progress(0, "");

    /**
     * Checks the bounds.
     *
     * @throws IllegalArgumentException if {@code percent} is outside 0..100 or the message is too long
     */
    public Progress {
        Objects.requireNonNull(message, "message");
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be within 0..100, was " + percent);
        }
        if (message.length() > MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("message longer than " + MAX_MESSAGE_LENGTH + " characters");
        }
    }
}
