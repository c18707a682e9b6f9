package io.github.accepted.protocol;

import java.util.List;
import java.util.Optional;

/**
 * What a submission's body must be besides JSON: sent without a content coding, and in UTF-8
 * without a byte order mark (RFC 8259 §8.1: a sender must not add one). Jackson would otherwise
 * guess UTF-16 or UTF-32 from the first bytes and accept a body the {@code Content-Type} says
 * is UTF-8.
 */
final class BodyEncoding {

    private BodyEncoding() {}

    /** Whether every {@code Content-Encoding} listed is {@code identity} (or there is none). */
    static boolean isIdentity(List<String> contentEncodings) {
        for (String value : contentEncodings) {
            for (String coding : value.split(",", -1)) {
                String name = coding.trim();
                if (!name.isEmpty() && !name.equalsIgnoreCase("identity")) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Why {@code body} is not plain UTF-8 JSON text, judged by its first bytes; empty when it may be. */
    static Optional<String> notPlainUtf8(byte[] body) {
        if (startsWith(body, 0xEF, 0xBB, 0xBF)) {
            return Optional.of("The body starts with a byte order mark; send UTF-8 JSON without one.");
        }
        if (startsWith(body, 0xFE, 0xFF) || startsWith(body, 0xFF, 0xFE) || startsWith(body, 0, 0, 0xFE, 0xFF)) {
            return Optional.of("The body starts with a UTF-16 or UTF-32 byte order mark; send it in UTF-8.");
        }
        for (int i = 0; i < Math.min(4, body.length); i++) {
            if (body[i] == 0) {
                return Optional.of("The body looks like UTF-16 or UTF-32 (it has NUL bytes); send it in UTF-8.");
            }
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] body, int... prefix) {
        if (body.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((body[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
