package io.github.accepted;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,} + base64 of HMAC-SHA256 over
 * {@code id.timestamp.body}, one per active secret, separated by spaces.
 */
final class WebhookSigner {

    static final String SECRET_PREFIX = "whsec_";

    private final List<byte[]> keys;

    WebhookSigner(List<String> secrets) {
        List<byte[]> decoded = new ArrayList<>();
        for (String secret : secrets) {
            decoded.add(decode(secret));
        }
        this.keys = List.copyOf(decoded);
    }

    /**
     * The key bytes of a {@code whsec_…} secret (base64 after the prefix).
     *
     * @throws IllegalArgumentException if it is not one, or shorter than 16 bytes
     */
    static byte[] decode(String secret) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + SECRET_PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook secret is base64 after " + SECRET_PREFIX);
        }
        if (key.length < 16) {
            throw new IllegalArgumentException("a webhook secret needs at least 16 bytes (24 is usual)");
        }
        return key;
    }

    /** The {@code webhook-signature} header value. */
    String sign(String id, long timestamp, byte[] body) {
        StringBuilder header = new StringBuilder();
        for (byte[] key : keys) {
            if (header.length() > 0) {
                header.append(' ');
            }
            header.append("v1,").append(Base64.getEncoder().encodeToString(hmac(key, id, timestamp, body)));
        }
        return header.toString();
    }

    static byte[] hmac(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
