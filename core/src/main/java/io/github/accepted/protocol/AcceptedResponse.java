package io.github.accepted.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the {@link ProtocolEngine} answers: the status, the headers and the body an adapter
 * writes as they are. The adapter decides nothing.
 *
 * <p>The body array is not copied, neither in nor out (a response is written once, and copying
 * every body would cost a copy per request): do not change it. Two responses are
 * {@link #equals equal} only if they hold the same array; compare {@link #bodyText()} to compare
 * content.
 *
 * @param status  the HTTP status
 * @param headers header names to values, in the order to write them
 * @param body    the body, not copied: do not change it; empty for none
 */
@SuppressWarnings("ArrayRecordComponent") // the body is written once, uncopied; never compared by content
public record AcceptedResponse(int status, Map<String, String> headers, byte[] body) {

    /** Checks the status and copies the headers (keeping their order). */
    public AcceptedResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
        Objects.requireNonNull(body, "body");
    }

    /** The value of header {@code name} (case-insensitive), if present. */
    public Optional<String> header(String name) {
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "AcceptedResponse[" + status + ", " + headers + ", " + body.length + " bytes]";
    }
}
