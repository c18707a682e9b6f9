package io.github.accepted.protocol;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A submit endpoint: {@code method path} takes a job's JSON input and answers {@code 202}.
 * Immutable; each option returns a new route.
 *
 * <pre>{@code
 * Route.of("POST", "/api/thumbnails", "thumbnail")
 *      .waitByDefault(Duration.ofSeconds(2))   // answer at once when it finishes that fast
 *      .requireIdempotencyKey()
 * }</pre>
 */
public final class Route {

    private final String method;
    private final String path;
    private final String type;
    private final Duration waitByDefault;
    private final boolean idempotencyKeyRequired;
    private final boolean echoInput;
    private final @Nullable Duration retryAfter;

    private Route(
            String method,
            String path,
            String type,
            Duration waitByDefault,
            boolean idempotencyKeyRequired,
            boolean echoInput,
            @Nullable Duration retryAfter) {
        this.method = method;
        this.path = path;
        this.type = type;
        this.waitByDefault = waitByDefault;
        this.idempotencyKeyRequired = idempotencyKeyRequired;
        this.echoInput = echoInput;
        this.retryAfter = retryAfter;
    }

    /**
     * A route for job type {@code type}.
     *
     * @param method {@code POST}, {@code PUT} or {@code PATCH}
     * @param path   an exact path inside the application, like {@code /api/reports}
     * @throws IllegalArgumentException if the method takes no body or the path is not absolute
     */
    public static Route of(String method, String path, String type) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        String upper = method.toUpperCase(Locale.ROOT);
        if (!upper.equals("POST") && !upper.equals("PUT") && !upper.equals("PATCH")) {
            throw new IllegalArgumentException("a submit route takes a body: use POST, PUT or PATCH, not " + method);
        }
        checkPath(path);
        return new Route(upper, path, type, Duration.ZERO, false, false, null);
    }

    /**
     * "Auto" mode: without a {@code Prefer} header, wait up to {@code budget} for the job and
     * answer with its outcome when it finishes that fast, else {@code 202}.
     * {@code Prefer: respond-async} still gets {@code 202} at once.
     */
    public Route waitByDefault(Duration budget) {
        Objects.requireNonNull(budget, "budget");
        if (budget.isNegative()) {
            throw new IllegalArgumentException("budget must not be negative");
        }
        return new Route(method, path, type, budget, idempotencyKeyRequired, echoInput, retryAfter);
    }

    /**
     * Refuses submissions without an {@code Idempotency-Key} ({@code 400}), and anonymous callers
     * altogether ({@code 403}): keys are scoped to their owner, so they need an authenticated caller.
     */
    public Route requireIdempotencyKey() {
        return new Route(method, path, type, waitByDefault, true, echoInput, retryAfter);
    }

    /**
     * Shows the job's input in its status monitor ({@code input}). Off by default: input may
     * hold secrets.
     */
    public Route echoInput() {
        return new Route(method, path, type, waitByDefault, idempotencyKeyRequired, true, retryAfter);
    }

    /** A fixed {@code Retry-After} for this route's jobs, instead of the adaptive default. */
    public Route retryAfter(Duration value) {
        Objects.requireNonNull(value, "retryAfter");
        if (value.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative");
        }
        return new Route(method, path, type, waitByDefault, idempotencyKeyRequired, echoInput, value);
    }

    /** The method. */
    public String method() {
        return method;
    }

    /** The path. */
    public String path() {
        return path;
    }

    /** The job type. */
    public String type() {
        return type;
    }

    Duration waitBudget() {
        return waitByDefault;
    }

    /** Whether submissions need an {@code Idempotency-Key} ({@link #requireIdempotencyKey()}). */
    public boolean idempotencyKeyRequired() {
        return idempotencyKeyRequired;
    }

    /** Whether the monitor shows the job's input ({@link #echoInput()}). */
    public boolean echoesInput() {
        return echoInput;
    }

    Optional<Duration> fixedRetryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    static void checkPath(String path) {
        if (!path.startsWith("/")
                || path.contains("//")
                || path.contains("?")
                || path.contains("#")
                || path.contains("*")
                || path.contains(" ")) {
            throw new IllegalArgumentException("a path must be absolute, like /api/reports: " + path);
        }
    }

    @Override
    public String toString() {
        return method + " " + path + " -> " + type;
    }
}
