package io.github.accepted.examples.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accepted.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty raises itself with {@code application/problem+json} instead of its
 * HTML page: requests turned away before any servlet sees them, such as an encoded slash or a
 * NUL in the path, a control character in a header, or a missing {@code Host}.
 *
 * <p>Set on the {@code Server} (errors while parsing, before a context is chosen) and on the
 * context (requests the servlet layer refuses). Every method gets the body, not only the
 * {@code GET}, {@code POST} and {@code HEAD} of Jetty's default. The detail of a 4xx is Jetty's
 * short reason ("Ambiguous URI path separator"); a 5xx says only that the server failed, so no
 * stack trace or class name reaches the client.
 */
final class ProblemErrorHandler extends ErrorHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DETAIL = 200;

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(
            Request request, Response response, int status, String message, Throwable cause, Callback callback)
            throws IOException {
        if (status < 400 || status > 599) {
            super.generateResponse(request, response, status, message, cause, callback);
            return;
        }
        byte[] body = JSON.writeValueAsBytes(problem(status, message));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** The problem for a status, with the names docs/protocol.md lists where one fits. */
    static Problem problem(int status, String reason) {
        String standard = HttpStatus.getMessage(status);
        if (status >= 500) {
            return Problem.of(
                    "internal",
                    "Internal server error",
                    status,
                    "The server failed to handle the request; its log has the details.");
        }
        String detail = reason == null || reason.isBlank()
                ? standard
                : reason.substring(0, Math.min(reason.length(), MAX_DETAIL));
        return switch (status) {
            case 400 -> Problem.of("invalid-request", "Invalid request", status, detail);
            case 404 -> Problem.of("not-found", "Not found", status, detail);
            case 405 -> Problem.of("method-not-allowed", "Method not allowed", status, detail);
            case 413 -> Problem.of("payload-too-large", "Payload too large", status, detail);
            case 415 -> Problem.of("unsupported-media-type", "Unsupported media type", status, detail);
            default -> Problem.of("http-" + status, standard, status, detail);
        };
    }
}
