package io.github.accepted.protocol;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Prefer} header (RFC 7240) as far as Accepted acts on it: {@code wait=N} and
 * {@code respond-async}. Other preferences are ignored, as the RFC asks; a {@code wait} whose
 * value is not a number of seconds is refused.
 *
 * @param waitFor      how long the client would wait for the final answer
 * @param respondAsync whether it wants {@code 202} at once
 */
record Preferences(Optional<Duration> waitFor, boolean respondAsync) {

    static final Preferences NONE = new Preferences(Optional.empty(), false);

    static Preferences parse(ProtocolRequest request) {
        Optional<Duration> wait = Optional.empty();
        boolean async = false;
        for (String header : request.headerValues("Prefer")) {
            if (header.length() > 1024) {
                throw new IllegalArgumentException("Prefer is too long.");
            }
            for (String preference : header.split(",")) {
                String main = preference.split(";", 2)[0].trim();
                if (main.isEmpty()) {
                    continue;
                }
                int eq = main.indexOf('=');
                String name = (eq < 0 ? main : main.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : main.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (name.equals("wait") && wait.isEmpty()) {
                    if (!value.matches("[0-9]{1,19}")) {
                        throw new IllegalArgumentException("Prefer: wait must be a whole number of seconds, like wait=10.");
                    }
                    long seconds = value.length() > 9 ? Long.MAX_VALUE / 1_000_000_000L : Long.parseLong(value);
                    wait = Optional.of(Duration.ofSeconds(seconds));
                } else if (name.equals("respond-async")) {
                    async = true;
                }
            }
        }
        return new Preferences(wait, async);
    }
}
