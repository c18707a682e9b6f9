package io.github.accepted.spring.boot.security;

import io.github.accepted.protocol.ProtocolEngine;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import java.util.Set;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Matches the requests Accepted's servlet serves: each route path (with or without a trailing
 * slash), the jobs path and everything below it. For Spring Security rules on those paths, such
 * as leaving CSRF tokens out for API clients:
 *
 * <pre>{@code
 * http.csrf(csrf -> csrf.ignoringRequestMatchers(acceptedRequestMatcher))
 * }</pre>
 *
 * Thread-safe and immutable.
 */
public final class AcceptedRequestMatcher implements RequestMatcher {

    private final Set<String> routePaths;
    private final String jobsPath;

    /** The paths of {@code engine}. */
    public AcceptedRequestMatcher(ProtocolEngine engine) {
        Objects.requireNonNull(engine, "engine");
        this.routePaths = Set.copyOf(engine.routePaths());
        this.jobsPath = engine.jobsPath();
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        String path = context != null && uri.startsWith(context) ? uri.substring(context.length()) : uri;
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return routePaths.contains(path) || path.equals(jobsPath) || path.startsWith(jobsPath + "/");
    }

    @Override
    public String toString() {
        return "AcceptedRequestMatcher" + routePaths + " + " + jobsPath + "/**";
    }
}
