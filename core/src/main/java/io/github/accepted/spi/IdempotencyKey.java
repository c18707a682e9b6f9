package io.github.accepted.spi;

import java.util.Objects;

/**
 * A client's idempotency key, with what it is scoped to and what it was first sent with.
 *
 * @param scope       who and where: the owner and the route, so keys of different owners or
 *                    routes never collide
 * @param key         the client's key
 * @param fingerprint a digest of the request (method, path, body) the key was first used with
 */
public record IdempotencyKey(String scope, String key, String fingerprint) {

    /** Checks for nulls. */
    public IdempotencyKey {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }
}
