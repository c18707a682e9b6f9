package io.github.accepted.protocol;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Prefer} header (RFC 7240) as far as Accepted acts on it: {@code wait=N} and
 * {@code respond-async}. Whatever it cannot understand is ignored, as RFC 7240 §2 asks: other
 * preferences, a {@code wait} that is not a whole number of seconds, a header over
 * {@value #MAX_LENGTH} characters, an unterminated quoted-string. Only the first {@code wait}
 * counts (§2: later ones are ignored), even when it cannot be understood.
 *
 * @param waitFor      how long the client would wait for the final answer
 * @param respondAsync whether it wants {@code 202} at once
 */
record Preferences(Optional<Duration> waitFor, boolean respondAsync) {

    static final int MAX_LENGTH = 1024;

    static final Preferences NONE = new Preferences(Optional.empty(), false);

    /** The preferences of {@code request}; never fails. */
    static Preferences parse(ProtocolRequest request) {
        Optional<Duration> wait = Optional.empty();
        boolean waitSeen = false;
        boolean async = false;
        for (String header : request.headerValues("Prefer")) {
            if (header.length() > MAX_LENGTH) {
                continue;
            }
            List<String> preferences;
            try {
                preferences = QuotedLists.split(header, ',');
            } catch (IllegalArgumentException e) {
                continue;
            }
            for (String preference : preferences) {
                String main = QuotedLists.split(preference, ';').get(0);
                int eq = main.indexOf('=');
                String name = (eq < 0 ? main : main.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : main.substring(eq + 1).trim();
                if (name.equals("wait") && !waitSeen) {
                    waitSeen = true;
                    wait = seconds(value);
                } else if (name.equals("respond-async")) {
                    async = true;
                }
            }
        }
        return new Preferences(wait, async);
    }

    private static Optional<Duration> seconds(String value) {
        String digits;
        try {
            digits = QuotedLists.unquote(value);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!digits.matches("[0-9]{1,19}")) {
            return Optional.empty();
        }
        long seconds = digits.length() > 9 ? Long.MAX_VALUE / 1_000_000_000L : Long.parseLong(digits);
        return Optional.of(Duration.ofSeconds(seconds));
    }
}
