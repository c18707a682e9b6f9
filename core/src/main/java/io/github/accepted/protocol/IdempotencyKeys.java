package io.github.accepted.protocol;

import io.github.accepted.Problem;
import io.github.accepted.spi.IdempotencyKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The {@code Idempotency-Key} header (IETF httpapi draft): a Structured Field string
 * ({@code "…"}), or for compatibility a bare token; 1 to 255 printable ASCII characters.
 */
final class IdempotencyKeys {

    static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {}

    /**
     * The key of {@code request}, scoped to its owner and route, with the request's fingerprint.
     *
     * @throws IllegalArgumentException if the header is malformed or repeated
     */
    static Optional<IdempotencyKey> of(ProtocolRequest request, byte[] body) {
        List<String> values = request.headerValues("Idempotency-Key");
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException("Send one Idempotency-Key, not several.");
        }
        String key = parse(values.get(0).trim());
        String scope = request.owner() + "\n" + request.method() + " " + request.path();
        return Optional.of(new IdempotencyKey(scope, key, fingerprint(request, body)));
    }

    /**
     * Why an anonymous caller may not submit {@code request} on {@code route}: keys are scoped to
     * their owner, and all anonymous callers would share one scope (one could read another's job,
     * or learn that a key is in use). So an anonymous key is refused ({@code 400}), and a route
     * that requires a key refuses anonymous callers altogether ({@code 403}).
     *
     * @return the problem to answer; empty for an owner, or an anonymous caller without a key on
     *         a route that does not require one
     */
    static Optional<Problem> refuseAnonymous(ProtocolRequest request, Route route) {
        if (!request.owner().isEmpty()) {
            return Optional.empty();
        }
        if (route.idempotencyKeyRequired()) {
            return Optional.of(Problems.keyedRouteRequiresOwner());
        }
        if (!request.headerValues("Idempotency-Key").isEmpty()) {
            return Optional.of(Problems.idempotencyKeyNeedsOwner());
        }
        return Optional.empty();
    }

    static String parse(String value) {
        String key;
        if (value.startsWith("\"")) {
            if (value.length() < 2 || !value.endsWith("\"")) {
                throw new IllegalArgumentException("Idempotency-Key is an unterminated string.");
            }
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < value.length() - 1; i++) {
                char c = value.charAt(i);
                if (c == '\\') {
                    i++;
                    if (i >= value.length() - 1 || (value.charAt(i) != '"' && value.charAt(i) != '\\')) {
                        throw new IllegalArgumentException("Idempotency-Key has an invalid escape.");
                    }
                    c = value.charAt(i);
                } else if (c == '"') {
                    throw new IllegalArgumentException("Idempotency-Key has an unescaped quote.");
                }
                if (c < 0x20 || c > 0x7e) {
                    throw new IllegalArgumentException("Idempotency-Key must be printable ASCII.");
                }
                out.append(c);
            }
            key = out.toString();
        } else {
            if (!value.matches("[A-Za-z0-9!#$%&'*+.^_`|~:/=-]+")) {
                throw new IllegalArgumentException("Idempotency-Key must be a quoted string, like \"4f2c-…\".");
            }
            key = value;
        }
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Idempotency-Key must have 1 to " + MAX_LENGTH + " characters.");
        }
        return key;
    }

    private static String fingerprint(ProtocolRequest request, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((request.method() + " " + request.path() + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
