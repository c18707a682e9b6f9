package io.github.accepted.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies the completion callbacks an Accepted server sends (Standard Webhooks): the
 * {@code webhook-signature} must hold a {@code v1,} signature, HMAC-SHA256 over
 * {@code webhook-id.webhook-timestamp.body}, made with one of the secrets (each tried in turn,
 * compared in constant time), and {@code webhook-timestamp} must be within the tolerance of
 * now. Deduplicate by {@code webhook-id} after verifying: a callback may come more than once.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
 * verifier.verify(name -> Optional.ofNullable(request.getHeader(name)), body); // throws if forged
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class WebhookVerifier {

    /** Default tolerance between the sender's timestamp and this clock: 5 minutes. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String PREFIX = "whsec_";

    private final List<byte[]> keys;
    private final Duration tolerance;
    private final Clock clock;

    private WebhookVerifier(List<byte[]> keys, Duration tolerance, Clock clock) {
        this.keys = keys;
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /**
     * A verifier for these secrets ({@code whsec_} + base64), any of which may have signed: give
     * the old and the new one while the sender rotates.
     *
     * @throws IllegalArgumentException if none is given or one is not a {@code whsec_} secret
     */
    public static WebhookVerifier of(String... secrets) {
        if (secrets.length == 0) {
            throw new IllegalArgumentException("give at least one secret");
        }
        List<byte[]> keys = new ArrayList<>();
        for (String secret : secrets) {
            Objects.requireNonNull(secret, "secret");
            if (!secret.startsWith(PREFIX)) {
                throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a webhook secret is base64 after " + PREFIX);
            }
            if (key.length == 0) {
                throw new IllegalArgumentException("a webhook secret must not be empty");
            }
            keys.add(key);
        }
        return new WebhookVerifier(List.copyOf(keys), DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    /** This verifier with another timestamp tolerance (either way). */
    public WebhookVerifier withTolerance(Duration value) {
        Objects.requireNonNull(value, "tolerance");
        if (value.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative");
        }
        return new WebhookVerifier(keys, value, clock);
    }

    /** This verifier reading another clock (for tests). */
    public WebhookVerifier withClock(Clock value) {
        return new WebhookVerifier(keys, tolerance, Objects.requireNonNull(value, "clock"));
    }

    /**
     * Verifies a callback, reading its headers through {@code headers} (a header's value by its
     * lower-case name, or empty).
     *
     * @return the {@code webhook-id}, to deduplicate by
     * @throws WebhookVerificationException if it does not verify
     */
    public String verify(Function<String, Optional<String>> headers, byte[] body) {
        return verify(
                required(headers, "webhook-id"),
                required(headers, "webhook-timestamp"),
                required(headers, "webhook-signature"),
                body);
    }

    /**
     * Verifies a callback from its three headers and its body, exactly as received.
     *
     * @return {@code id}, to deduplicate by
     * @throws WebhookVerificationException if it does not verify
     */
    public String verify(String id, String timestamp, String signatures, byte[] body) {
        Objects.requireNonNull(body, "body");
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new WebhookVerificationException("webhook-timestamp is not a number of seconds");
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - seconds) > tolerance.toSeconds()) {
            throw new WebhookVerificationException("webhook-timestamp is outside the tolerance of " + tolerance);
        }
        List<byte[]> offered = new ArrayList<>();
        for (String part : signatures.trim().split(" +", -1)) {
            if (part.startsWith("v1,")) {
                try {
                    offered.add(Base64.getDecoder().decode(part.substring(3)));
                } catch (IllegalArgumentException e) {
                    // a malformed signature matches nothing
                }
            }
        }
        byte[] signed = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] key : keys) {
            byte[] expected = hmac(key, signed, body);
            for (byte[] signature : offered) {
                match |= MessageDigest.isEqual(expected, signature); // constant time; no early exit
            }
        }
        if (!match) {
            throw new WebhookVerificationException("no webhook-signature matches a secret");
        }
        return id;
    }

    private static String required(Function<String, Optional<String>> headers, String name) {
        return headers.apply(name).orElseThrow(() -> new WebhookVerificationException(name + " is missing"));
    }

    private static byte[] hmac(byte[] key, byte[] signed, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(signed);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
