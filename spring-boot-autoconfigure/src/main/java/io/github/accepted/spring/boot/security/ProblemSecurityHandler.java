package io.github.accepted.spring.boot.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Answers Spring Security's refusals as Accepted answers every error: an
 * {@code application/problem+json} body, {@code 401} (with {@code WWW-Authenticate}) when
 * authentication is missing or wrong, {@code 403} when access is denied (an invalid CSRF token
 * among others). Without it, Spring Security's refusals are empty-bodied, or Spring's own error
 * JSON. Plug it in:
 *
 * <pre>{@code
 * http.httpBasic(basic -> basic.authenticationEntryPoint(problems))
 *     .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
 * }</pre>
 *
 * Thread-safe and immutable.
 */
public final class ProblemSecurityHandler implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final String UNAUTHORIZED = "{\"type\":\"urn:accepted:problem:unauthorized\","
            + "\"title\":\"Unauthorized\",\"status\":401,"
            + "\"detail\":\"Authentication is required to access this resource.\"}";
    private static final String FORBIDDEN = "{\"type\":\"urn:accepted:problem:forbidden\","
            + "\"title\":\"Forbidden\",\"status\":403,"
            + "\"detail\":\"You may not do this.\"}";

    private final String challenge;

    /** With the challenge {@code Basic realm="Realm"}. */
    public ProblemSecurityHandler() {
        this("Basic realm=\"Realm\"");
    }

    /**
     * With this {@code WWW-Authenticate} challenge on {@code 401}, such as {@code Bearer}.
     *
     * @param challenge the header's value; empty for none
     */
    public ProblemSecurityHandler(String challenge) {
        this.challenge = Objects.requireNonNull(challenge, "challenge");
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException reason)
            throws IOException {
        if (!challenge.isEmpty()) {
            response.setHeader("WWW-Authenticate", challenge);
        }
        write(response, 401, UNAUTHORIZED);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException reason)
            throws IOException {
        write(response, 403, FORBIDDEN);
    }

    private static void write(HttpServletResponse response, int status, String body) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setHeader("Content-Type", "application/problem+json");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
