package io.github.accepted.client;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A web origin (RFC 6454): scheme, host and port. Scheme and host are kept in lower case, and a
 * missing port is the scheme's default, so {@code HTTPS://API.example.com} and
 * {@code https://api.example.com:443} are one origin, while {@code http://a} and {@code https://a},
 * or two ports of one host, are two.
 */
record Origin(String scheme, String host, int port) {

    Origin {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
    }

    /** The origin of an absolute {@code http} or {@code https} URI with a host; empty for any other URI. */
    static Optional<Origin> of(URI uri) {
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null || host == null) {
            return Optional.empty();
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        int defaultPort =
                switch (scheme) {
                    case "http" -> 80;
                    case "https" -> 443;
                    default -> -1;
                };
        if (defaultPort == -1) {
            return Optional.empty();
        }
        return Optional.of(
                new Origin(scheme, host.toLowerCase(Locale.ROOT), uri.getPort() == -1 ? defaultPort : uri.getPort()));
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }
}
