package io.github.accepted.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits header values on a separator outside quoted-strings (RFC 9110 §5.6.4), as
 * {@code Forwarded} and {@code Prefer} need: {@code host="a,b";for=x} is one element, whose
 * {@code host} holds a comma.
 */
final class QuotedLists {

    private QuotedLists() {}

    /**
     * The parts of {@code value} between {@code separator}s that are not inside a quoted-string,
     * trimmed of spaces and tabs; empty parts are kept.
     *
     * @throws IllegalArgumentException if a quoted-string is not terminated
     */
    static List<String> split(String value, char separator) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == separator) {
                parts.add(trim(value.substring(start, i)));
                start = i + 1;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quoted-string");
        }
        parts.add(trim(value.substring(start)));
        return parts;
    }

    /**
     * {@code value} without its quotes and escapes when it is a quoted-string; as it is when it is
     * a token.
     *
     * @throws IllegalArgumentException if it starts a quoted-string that does not end at its end
     */
    static String unquote(String value) {
        if (!value.startsWith("\"")) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                out.append(value.charAt(++i));
            } else if (c == '"') {
                if (i != value.length() - 1) {
                    throw new IllegalArgumentException("text after a quoted-string");
                }
                return out.toString();
            } else {
                out.append(c);
            }
        }
        throw new IllegalArgumentException("unterminated quoted-string");
    }

    private static String trim(String part) {
        int from = 0;
        int to = part.length();
        while (from < to && (part.charAt(from) == ' ' || part.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (part.charAt(to - 1) == ' ' || part.charAt(to - 1) == '\t')) {
            to--;
        }
        return part.substring(from, to);
    }
}
