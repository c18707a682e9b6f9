package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.protocol.Route;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One submit endpoint as configured: from an {@code @AcceptedJob} and its
 * {@code accepted.routes.<type>.*} overrides, or from {@code accepted.routes.<name>.*} alone.
 * Immutable.
 */
record RouteSpec(
        String name,
        String type,
        @Nullable String endpoint,
        boolean enabled,
        @Nullable Duration waitByDefault,
        boolean requireIdempotencyKey,
        boolean echoInput,
        @Nullable Duration retryAfter) {

    RouteSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /** This spec with the properties' given values in place of its own. */
    RouteSpec overriddenBy(AcceptedProperties.RouteProperties p) {
        return new RouteSpec(
                name,
                p.getType() != null ? p.getType() : type,
                p.getRoute() != null ? p.getRoute() : endpoint,
                p.getEnabled() != null ? p.getEnabled() : enabled,
                p.getWaitByDefault() != null ? p.getWaitByDefault() : waitByDefault,
                p.getRequireIdempotencyKey() != null ? p.getRequireIdempotencyKey() : requireIdempotencyKey,
                p.getEchoInput() != null ? p.getEchoInput() : echoInput,
                p.getRetryAfter() != null ? p.getRetryAfter() : retryAfter);
    }

    /** A spec from properties alone: the type defaults to the name. */
    static RouteSpec fromProperties(String name, AcceptedProperties.RouteProperties p) {
        return new RouteSpec(name, name, null, true, null, false, false, null).overriddenBy(p);
    }

    /** The core route, or an error naming the properties to fix. */
    Route toRoute() {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalStateException("route " + name + " of job type " + type
                    + " has no endpoint: set accepted.routes." + name + ".route=\"POST /path\"");
        }
        String[] parts = parseEndpoint(endpoint);
        Route route = Route.of(parts[0], parts[1], type);
        if (waitByDefault != null) {
            route = route.waitByDefault(waitByDefault);
        }
        if (requireIdempotencyKey) {
            route = route.requireIdempotencyKey();
        }
        if (echoInput) {
            route = route.echoInput();
        }
        if (retryAfter != null) {
            route = route.retryAfter(retryAfter);
        }
        return route;
    }

    /**
     * {@code "POST /api/reports"} as {@code [POST, /api/reports]}.
     *
     * @throws IllegalArgumentException if it is not a body-taking method and an absolute path
     */
    static String[] parseEndpoint(String endpoint) {
        String[] parts = endpoint.trim().split("\\s+");
        if (parts.length != 2 || !isPath(parts[1])) {
            throw new IllegalArgumentException("must be like \"POST /api/reports\": " + endpoint);
        }
        Route.of(parts[0], parts[1], "check"); // the method and path rules of core
        return parts;
    }

    static boolean isPath(String path) {
        try {
            Route.of("POST", path, "check");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
