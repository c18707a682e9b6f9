package io.github.accepted;

/**
 * An idempotency key sent again with a different request (another body, say). Nothing was
 * queued. Answered with {@code 422}.
 */
public final class IdempotencyKeyReusedException extends AcceptedException {

    private final transient JobId existing;

    /** The key names job {@code existing}, which was submitted with a different request. */
    public IdempotencyKeyReusedException(JobId existing) {
        super("the idempotency key was used for a different request");
        this.existing = existing;
    }

    /** The job the key names. */
    public JobId existing() {
        return existing;
    }
}
