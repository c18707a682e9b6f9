package io.github.accepted.spring.boot.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A small HTTP client for the starter's tests: HTTP Basic users, JSON bodies. */
final class Client {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    Client(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** The user's password in the test applications is {@code <user>-secret}; null for anonymous. */
    HttpResponse<String> send(String method, String pathOrUri, String user, String json, String... headers) {
        URI uri = URI.create(pathOrUri.startsWith("http") ? pathOrUri : base + pathOrUri);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        json == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (user != null) {
            String credentials = user + ":" + (user.contains(":") ? "" : user + "-secret");
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((user.contains(":") ? user : credentials)
                                            .getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> post(String path, String user, String json, String... headers) {
        return send("POST", path, user, json, headers);
    }

    HttpResponse<String> get(String pathOrUri, String user, String... headers) {
        return send("GET", pathOrUri, user, null, headers);
    }
}
