package io.github.accepted.protocol;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request as an adapter hands it to the {@link ProtocolEngine}, free of any framework.
 *
 * @param method  the request method exactly as the client sent it: methods are case-sensitive
 *                (RFC 9110 §9.1), so {@code delete} is not {@code DELETE} and is answered
 *                {@code 405}
 * @param path    the path inside the application (after the context path), not decoded,
 *                starting with {@code /}
 * @param query   the raw query string without {@code ?}; empty when there is none
 * @param headers every header, names case-insensitive
 * @param owner   who is asking (the principal's name); {@link io.github.accepted.Job#ANONYMOUS} (empty) when anonymous
 * @param origin  scheme, host and port (when not the scheme's default) as the server received
 *                the request, e.g. {@code https://api.example.com}
 * @param contextPath the application's path prefix, {@code ""} or like {@code /app}
 * @param remoteAddress the address of the peer that sent the request (a proxy, perhaps)
 * @param body    the request body; read only by submissions whose head passed every check, at
 *                most the configured limit (see {@link RequestBody} for the forms it may take)
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
        RequestBody body) {

    /** Checks for nulls and copies the headers case-insensitively; the method is kept as given. */
    public ProtocolRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(contextPath, "contextPath");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(body, "body");
        headers = HeaderMap.copyOf(Objects.requireNonNull(headers, "headers"));
        if (origin.endsWith("/")) {
            origin = origin.substring(0, origin.length() - 1);
        }
        if (contextPath.endsWith("/")) {
            contextPath = contextPath.substring(0, contextPath.length() - 1);
        }
    }

    /**
     * A request whose body is read with blocking calls on the thread that calls the engine:
     * {@code new ProtocolRequest(…, RequestBody.ofStream(body))}. For servers whose threads the
     * adapter may block; see {@link RequestBody}.
     */
    public ProtocolRequest(
            String method,
            String path,
            String query,
            Map<String, List<String>> headers,
            String owner,
            String origin,
            String contextPath,
            String remoteAddress,
            InputStream body) {
        this(method, path, query, headers, owner, origin, contextPath, remoteAddress, RequestBody.ofStream(body));
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
