package io.github.accepted.openapi;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

/**
 * Serves an {@link OpenApiDocument} as JSON at whatever path it is mapped to: {@code GET} and
 * {@code HEAD} with an {@code ETag} ({@code 304} for a matching {@code If-None-Match}),
 * {@code OPTIONS} with {@code Allow}, and a {@code 405} problem for anything else.
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new AcceptedOpenApiServlet(doc)), "/openapi.json"); // Jetty 12
 * }</pre>
 *
 * <p>A document without servers gets one at {@link #init()}: the context path, so that its paths
 * resolve inside the application wherever it is deployed. Thread-safe.
 */
public final class AcceptedOpenApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String ALLOW = "GET, HEAD, OPTIONS";

    private final transient OpenApiDocument given;
    private transient byte[] body;
    private transient String etag;

    /** Serves {@code document}. */
    @SuppressWarnings("NullAway.Init") // body, etag: rendered by init(), which the container calls before service()
    public AcceptedOpenApiServlet(OpenApiDocument document) {
        this.given = Objects.requireNonNull(document, "document");
    }

    /** Renders the document once, with the context path as its server when it names none. */
    @Override
    public void init() {
        String context = getServletContext().getContextPath();
        OpenApiDocument served = given.hasServers() ? given : given.withServers(context.isEmpty() ? "/" : context);
        body = served.json();
        etag = "\"" + sha256(body) + "\"";
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (request.getMethod()) {
            case "GET", "HEAD" -> serve(request, response);
            case "OPTIONS" -> {
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                response.setHeader("Allow", ALLOW);
            }
            default -> {
                response.setHeader("Allow", ALLOW);
                byte[] problem =
                        ("{\"type\":\"urn:accepted:problem:method-not-allowed\",\"title\":\"Method not allowed\","
                                        + "\"status\":405,\"detail\":\"The OpenAPI document is read with " + ALLOW
                                        + ".\"}")
                                .getBytes(StandardCharsets.UTF_8);
                write(response, 405, "application/problem+json", problem, true);
            }
        }
    }

    private void serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("ETag", etag);
        String tags = request.getHeader("If-None-Match");
        if (tags != null && (tags.trim().equals("*") || tags.contains(etag))) {
            response.setHeader("Cache-Control", "no-cache");
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        write(response, 200, "application/json", body, !request.getMethod().equals("HEAD"));
    }

    private static void write(HttpServletResponse response, int status, String type, byte[] bytes, boolean withBody)
            throws IOException {
        response.setStatus(status);
        response.setContentType(type);
        response.setHeader("Cache-Control", status == 200 ? "no-cache" : "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(bytes.length);
        if (withBody) {
            response.getOutputStream().write(bytes);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(digest)
                    .substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
