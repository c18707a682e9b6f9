package io.github.accepted;

/**
 * A job's input was refused before anything was queued: malformed JSON, wrong types, unknown
 * fields, or a check by the input type or the handler. Answered with {@code 400}; the message
 * becomes the problem's {@code detail}, so write it for the client.
 *
 * <p>Handlers and input types throw it from {@link JobHandler#validate(Object)} or from a
 * record's compact constructor (an {@link IllegalArgumentException} there is treated alike).
 */
public final class InvalidInputException extends AcceptedException {

    /** Input refused; {@code message} tells the client why. */
    public InvalidInputException(String message) {
        super(message);
    }
}
