package io.github.accepted.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A small {@link HttpClient} wrapper for the suites: never follows redirects, and sends the
 * caller's identity in {@value #PRINCIPAL_HEADER}.
 */
public final class Http {

    /**
     * The header that names the caller in tests. A server under test must make its value the
     * request's authenticated principal (a servlet filter wrapping the request, say).
     */
    public static final String PRINCIPAL_HEADER = "X-Test-Principal";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /** One reply. */
    @SuppressWarnings("ArrayRecordComponent") // the bytes as received; replies are read, never compared with equals
    public record Reply(int status, java.net.http.HttpHeaders headers, byte[] body) {

        /** The first value of a header. */
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** The body as text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as JSON. */
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text(), e);
            }
        }
    }

    /** Sends a request. {@code principal} may be null for an anonymous caller. */
    public Reply send(
            String method,
            URI uri,
            @Nullable String principal,
            @Nullable String contentType,
            byte @Nullable [] body,
            String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (principal != null) {
            request.header(PRINCIPAL_HEADER, principal);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        request.method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code POST} JSON text. */
    public Reply postJson(URI uri, @Nullable String principal, String json, String... headers) {
        return send("POST", uri, principal, "application/json", json.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** {@code GET}. */
    public Reply get(URI uri, @Nullable String principal, String... headers) {
        return send("GET", uri, principal, null, null, headers);
    }

    /** {@code DELETE}. */
    public Reply delete(URI uri, @Nullable String principal) {
        return send("DELETE", uri, principal, null, null);
    }

    /**
     * A reply read off a raw socket: the status, the headers (names lower-cased), and every byte
     * the server sent after the header block until it closed the connection.
     */
    @SuppressWarnings("ArrayRecordComponent") // the bytes as received; replies are read, never compared with equals
    public record RawReply(int status, java.util.Map<String, String> headers, byte[] rest) {

        /** What the server sent after the headers, as ISO-8859-1 text (one char per byte). */
        public String restText() {
            return new String(rest, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Sends {@code GET path} over a plain socket with exactly these header lines, including a
     * {@code Host} of the caller's choosing (which {@link HttpClient} will not send): for tests
     * with forged headers.
     */
    public RawReply raw(URI server, String path, String... headerLines) {
        return rawRequest(server, "GET", path, headerLines);
    }

    /**
     * Sends {@code method path} without a body over a plain socket with exactly these header lines
     * and {@code Connection: close}, and reads everything the server sends until it closes: for
     * forged headers, and for what a {@code HEAD} really puts on the wire.
     */
    public RawReply rawRequest(URI server, String method, String path, String... headerLines) {
        try (java.net.Socket socket = new java.net.Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String statusLine = in.readLine();
            java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                headers.put(
                        line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
            StringBuilder rest = new StringBuilder();
            char[] chunk = new char[8192];
            for (int n; (n = in.read(chunk)) >= 0; ) {
                rest.append(chunk, 0, n);
            }
            return new RawReply(
                    Integer.parseInt(statusLine.split(" ", -1)[1]),
                    headers,
                    rest.toString().getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
