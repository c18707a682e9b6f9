package io.github.accepted.client;

/**
 * A webhook failed verification: a header is missing or malformed, its timestamp is outside the
 * tolerance, or no signature matches any secret. Answer the sender with {@code 400} or
 * {@code 401} and do not act on the body.
 */
public final class WebhookVerificationException extends AcceptedClientException {

    WebhookVerificationException(String message) {
        super(message, null, null);
    }
}
