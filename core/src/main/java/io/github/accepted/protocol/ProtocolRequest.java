package io.github.accepted.protocol;

import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as an adapter hands it to the {@link ProtocolEngine}, free of any framework.
 *
 * @param method  the request method, upper case ({@code GET}, {@code POST}, …)
 * @param path    the path inside the application (after the context path), not decoded,
 *                starting with {@code /}
 * @param query   the raw query string without {@code ?}; empty when there is none
 * @param headers every header, names case-insensitive
 * @param owner   who is asking (the principal's name); empty when anonymous
 * @param origin  scheme, host and port (when not the scheme's default) as the server received
 *                the request, e.g. {@code https://api.example.com}
 * @param contextPath the application's path prefix, {@code ""} or like {@code /app}
 * @param remoteAddress the address of the peer that sent the request (a proxy, perhaps)
 * @param body    the request body; read only by submissions, at most the configured limit
 */
public record ProtocolRequest(
        String method,
        String path,
        String query,
        Map<String, List<String>> headers,
        String owner,
        String origin,
        String contextPath,
        String remoteAddress,
        InputStream body) {

    /** Checks for nulls, upper-cases the method and copies the headers case-insensitively. */
    public ProtocolRequest {
        method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(contextPath, "contextPath");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(body, "body");
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Objects.requireNonNull(headers, "headers").forEach((name, values) -> copy.merge(name, List.copyOf(values),
                (a, b) -> {
                    List<String> merged = new java.util.ArrayList<>(a);
                    merged.addAll(b);
                    return List.copyOf(merged);
                }));
        headers = java.util.Collections.unmodifiableMap(copy);
        if (origin.endsWith("/")) {
            origin = origin.substring(0, origin.length() - 1);
        }
        if (contextPath.endsWith("/")) {
            contextPath = contextPath.substring(0, contextPath.length() - 1);
        }
    }

    /** The first value of header {@code name}, if any. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every value of header {@code name}; empty when absent. */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name, List.of());
    }
}
