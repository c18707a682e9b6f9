package io.github.accepted.protocol;

import io.github.accepted.Accepted;
import io.github.accepted.internal.EngineInternals;
import io.github.accepted.internal.SetOnce;
import io.github.accepted.spi.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP contract of Accepted, once, for every framework: a {@link ProtocolRequest} in, an
 * {@link AcceptedResponse} out. Adapters translate and write; every decision is made here.
 *
 * <pre>{@code
 * ProtocolEngine http = ProtocolEngine.builder(accepted)
 *     .route("POST", "/api/reports", "report")   // submit endpoint → job type
 *     .build();                                  // monitors under /jobs
 * }</pre>
 *
 * <p>It answers submissions on its routes and the monitor endpoints under its jobs path
 * ({@code GET /jobs}, {@code GET|DELETE /jobs/{id}}, {@code GET /jobs/{id}/result}); the full
 * contract is in {@code docs/protocol.md}. Requests that ask to wait ({@code Prefer: wait})
 * complete later without holding a thread: use {@link #handleAsync(ProtocolRequest)}.
 * Thread-safe; it never fails: any error becomes a problem response.
 */
public final class ProtocolEngine {

    /** Default path under which the monitor endpoints are served. */
    public static final String DEFAULT_JOBS_PATH = "/jobs";
    /** Default largest request body: 1 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    /** Default largest JSON result written inline in the status monitor: 64 KiB. */
    public static final int DEFAULT_MAX_INLINE_RESULT_BYTES = 64 << 10;
    /** Default {@code Retry-After} when nothing is known of a job's duration: 1 second. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    /** Default longest adaptive {@code Retry-After}: 30 seconds. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(30);
    /** Default longest {@code Prefer: wait} honoured: 30 seconds. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);
    /** Default page size of {@code GET /jobs}. */
    public static final int DEFAULT_PAGE_SIZE = 20;
    /** Largest page size of {@code GET /jobs}. */
    public static final int MAX_PAGE_SIZE = 100;

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolEngine.class);

    private final Accepted accepted;
    private final String jobsPath;
    private final Map<String, Map<String, Route>> routes;
    private final Replies replies;
    private final Forwarding forwarding;
    private final Submissions submissions;
    private final Monitors monitors;
    private final boolean monitorsRedirect;

    private ProtocolEngine(Builder b) {
        this.accepted = b.accepted;
        this.jobsPath = b.jobsPath != null ? b.jobsPath : DEFAULT_JOBS_PATH;
        Map<String, Map<String, Route>> copy = new LinkedHashMap<>();
        b.routes.forEach((path, methods) -> copy.put(path, Map.copyOf(methods)));
        this.routes = Map.copyOf(copy);
        Set<String> echoing = new HashSet<>();
        Map<String, Duration> fixedRetryAfter = new HashMap<>();
        for (Map<String, Route> methods : routes.values()) {
            for (Route route : methods.values()) {
                if (route.echoesInput()) {
                    echoing.add(route.type());
                }
                route.fixedRetryAfter().ifPresent(value -> fixedRetryAfter.put(route.type(), value));
            }
        }
        int maxInline = b.maxInlineResultBytes != null ? b.maxInlineResultBytes : DEFAULT_MAX_INLINE_RESULT_BYTES;
        this.replies = new Replies(
                new Json(accepted.objectMapper().getFactory(), maxInline),
                echoing,
                EngineInternals.of(accepted)::callbacks);
        RetryAfterPolicy retryAfter = new RetryAfterPolicy(
                accepted,
                b.retryAfter != null ? b.retryAfter : DEFAULT_RETRY_AFTER,
                b.maxRetryAfter != null ? b.maxRetryAfter : DEFAULT_MAX_RETRY_AFTER,
                fixedRetryAfter,
                b.retryAfter == null);
        Settings settings = new Settings(
                accepted,
                jobsPath,
                b.maxBodyBytes != null ? b.maxBodyBytes : DEFAULT_MAX_BODY_BYTES,
                b.maxWait != null ? b.maxWait : DEFAULT_MAX_WAIT,
                b.resultRedirect != null && b.resultRedirect,
                replies,
                retryAfter);
        this.forwarding = new Forwarding(b.trustedProxies, b.allowedHosts);
        this.submissions = new Submissions(settings);
        this.monitors = new Monitors(settings);
        this.monitorsRedirect = settings.resultRedirect();
    }

    /** A builder for an engine over {@code accepted}. */
    public static Builder builder(Accepted accepted) {
        return new Builder(accepted);
    }

    /** The path under which monitors are served, such as {@code /jobs}. */
    public String jobsPath() {
        return jobsPath;
    }

    /** The exact paths of the submit routes. */
    public Set<String> routePaths() {
        return routes.keySet();
    }

    /**
     * Every submit route, ordered by path, then method: what a describer (such as the OpenAPI
     * module) needs to list the endpoints with their options.
     */
    public List<Route> routes() {
        List<Route> all = new ArrayList<>();
        new TreeMap<>(routes).values().forEach(methods -> all.addAll(new TreeMap<>(methods).values()));
        return List.copyOf(all);
    }

    /**
     * Whether {@code GET /jobs/{id}} of a succeeded job answers {@code 303 See Other} to its
     * result ({@link Builder#resultRedirect(boolean)}).
     */
    public boolean redirectsToResult() {
        return monitorsRedirect;
    }

    /** The job engine behind this protocol. */
    public Accepted accepted() {
        return accepted;
    }

    /**
     * Answers one request, blocking while a {@code Prefer: wait} runs. Adapters that can answer
     * later should use {@link #handleAsync(ProtocolRequest)} instead.
     */
    public AcceptedResponse handle(ProtocolRequest request) {
        return handleAsync(request).join();
    }

    /**
     * Answers one request. The future is already complete unless the client asked to wait
     * ({@code Prefer: wait}); then it completes when the job changes or the wait ends, on the
     * thread that saw the change (write the answer elsewhere if writing may block). A submission
     * whose body is a {@link RequestBody#ofPublisher publisher} completes once the body is read,
     * on the thread of the publisher's last signal. It never
     * completes exceptionally: an unexpected failure is logged and answered with a {@code 500}
     * problem that reveals nothing of it. A {@code HEAD} is answered as the {@code GET} would be,
     * with the {@code GET}'s {@code Content-Length} header and no body.
     */
    public CompletableFuture<AcceptedResponse> handleAsync(ProtocolRequest request) {
        CompletableFuture<AcceptedResponse> answer;
        try {
            answer = dispatch(request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        if (answer.isDone() && !answer.isCompletedExceptionally()) { // most answers: no stages to chain
            AcceptedResponse reply = answer.join();
            return CompletableFuture.completedFuture(request.method().equals("HEAD") ? Replies.forHead(reply) : reply);
        }
        return answer.exceptionally(error -> {
                    Throwable cause =
                            error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof StoreUnavailableException) {
                        LOG.warn("store unavailable for {} {}", request.method(), request.path(), cause);
                        return replies.problem(
                                Problems.unavailable(
                                        "store-unavailable",
                                        "Job storage is unavailable for a moment; try again later."),
                                Map.of("Retry-After", "1"));
                    }
                    LOG.error("could not answer {} {}", request.method(), request.path(), cause);
                    return replies.problem(Problems.internal(), Map.of());
                })
                .thenApply(reply -> request.method().equals("HEAD") ? Replies.forHead(reply) : reply);
    }

    private CompletableFuture<AcceptedResponse> dispatch(ProtocolRequest request) {
        String base;
        try {
            base = forwarding.base(request);
        } catch (Forwarding.Refused e) {
            return done(replies.problem(Problems.hostNotAllowed(e.getMessage()), Map.of()));
        }
        Urls urls = Urls.of(base, jobsPath);
        Preferences preferences = Preferences.parse(request);
        String path = request.path();
        Map<String, Route> routeMethods = routes.get(path);
        if (routeMethods != null) {
            Route route = routeMethods.get(request.method());
            if (route != null) {
                return submissions.submit(request, urls, route, preferences);
            }
            return done(notAllowed(request, String.join(", ", new TreeSet<>(routeMethods.keySet()))));
        }
        if (path.equals(jobsPath) || path.equals(jobsPath + "/")) {
            return done(isRead(request) ? monitors.list(request, urls) : notAllowed(request, "GET, HEAD"));
        }
        if (path.startsWith(jobsPath + "/")) {
            String rest = path.substring(jobsPath.length() + 1);
            int slash = rest.indexOf('/');
            if (slash < 0) {
                return switch (request.method()) {
                    case "GET", "HEAD" -> monitors.status(request, urls, rest, preferences);
                    case "DELETE" -> done(monitors.cancel(request, urls, rest));
                    default -> done(notAllowed(request, "GET, HEAD, DELETE"));
                };
            }
            if (rest.substring(slash).equals("/result")) {
                return done(
                        isRead(request)
                                ? monitors.result(request, rest.substring(0, slash))
                                : notAllowed(request, "GET, HEAD"));
            }
        }
        return done(replies.problem(Problems.noRoute(), Map.of()));
    }

    private static boolean isRead(ProtocolRequest request) {
        return request.method().equals("GET") || request.method().equals("HEAD");
    }

    private AcceptedResponse notAllowed(ProtocolRequest request, String allow) {
        if (request.method().equals("OPTIONS")) {
            return new AcceptedResponse(204, Map.of("Allow", allow + ", OPTIONS"), new byte[0]);
        }
        return replies.problem(
                Problems.methodNotAllowed(request.method(), allow + ", OPTIONS"), Map.of("Allow", allow + ", OPTIONS"));
    }

    private static CompletableFuture<AcceptedResponse> done(AcceptedResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    /** Whole seconds, rounded up, at least 1: the form of {@code Retry-After}. */
    static String seconds(Duration duration) {
        long seconds = duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
        return Long.toString(Math.max(1, seconds));
    }

    /**
     * Configures a {@link ProtocolEngine}. Each setting may be given once; defaults are the
     * constants of {@link ProtocolEngine}. Not thread-safe.
     */
    public static final class Builder {

        private final SetOnce given = new SetOnce();
        private final Accepted accepted;
        private final Map<String, Map<String, Route>> routes = new TreeMap<>();
        private @Nullable String jobsPath;
        private @Nullable Integer maxBodyBytes;
        private @Nullable Integer maxInlineResultBytes;
        private @Nullable Duration retryAfter;
        private @Nullable Duration maxRetryAfter;
        private @Nullable Duration maxWait;
        private @Nullable Boolean resultRedirect;
        private Set<String> trustedProxies = Set.of();
        private Set<String> allowedHosts = Set.of();

        private Builder(Accepted accepted) {
            this.accepted = Objects.requireNonNull(accepted, "accepted");
        }

        /**
         * Maps a submit endpoint to a job type: {@code method path} takes the job's JSON input
         * and answers {@code 202 Accepted}. Shorthand for {@code route(Route.of(method, path, type))}.
         */
        public Builder route(String method, String path, String type) {
            return route(Route.of(method, path, type));
        }

        /**
         * Adds a submit endpoint with its options.
         *
         * @throws IllegalArgumentException if its type has no handler
         * @throws IllegalStateException    if its method and path are mapped already
         */
        public Builder route(Route route) {
            Objects.requireNonNull(route, "route");
            if (!accepted.jobTypes().contains(route.type())) {
                throw new IllegalArgumentException("no handler is registered for job type " + route.type());
            }
            if (routes.computeIfAbsent(route.path(), p -> new TreeMap<>()).putIfAbsent(route.method(), route) != null) {
                throw new IllegalStateException(route.method() + " " + route.path() + " is mapped already");
            }
            return this;
        }

        /** Where the monitor endpoints live. Default: {@value ProtocolEngine#DEFAULT_JOBS_PATH}. */
        public Builder jobsPath(String value) {
            given.mark("jobsPath");
            Objects.requireNonNull(value, "jobsPath");
            Route.checkPath(value);
            if (value.length() < 2 || value.endsWith("/")) {
                throw new IllegalArgumentException("jobsPath must be like /jobs, without a trailing slash");
            }
            jobsPath = value;
            return this;
        }

        /** The largest accepted request body. Default: {@value ProtocolEngine#DEFAULT_MAX_BODY_BYTES} bytes. */
        public Builder maxBodyBytes(int value) {
            given.mark("maxBodyBytes");
            if (value < 2 || value > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxBodyBytes must be between 2 and 2^31 - 10");
            }
            maxBodyBytes = value;
            return this;
        }

        /**
         * The largest JSON result shown inline in the status monitor; larger ones are served
         * only at {@code /jobs/{id}/result}. Default: {@value ProtocolEngine#DEFAULT_MAX_INLINE_RESULT_BYTES}.
         */
        public Builder maxInlineResultBytes(int value) {
            given.mark("maxInlineResultBytes");
            if (value < 0) {
                throw new IllegalArgumentException("maxInlineResultBytes must not be negative");
            }
            maxInlineResultBytes = value;
            return this;
        }

        /**
         * A fixed {@code Retry-After} for every unfinished job (whole seconds, at least 1),
         * instead of the adaptive default (half the expected remaining time, from 1 s to
         * {@link #maxRetryAfter(Duration)}). Routes may set their own.
         */
        public Builder retryAfter(Duration value) {
            given.mark("retryAfter");
            Objects.requireNonNull(value, "retryAfter");
            if (value.isNegative()) {
                throw new IllegalArgumentException("retryAfter must not be negative");
            }
            retryAfter = value;
            return this;
        }

        /** The longest adaptive {@code Retry-After}. Default: 30 s. */
        public Builder maxRetryAfter(Duration value) {
            given.mark("maxRetryAfter");
            Objects.requireNonNull(value, "maxRetryAfter");
            if (value.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("maxRetryAfter must be at least 1 s");
            }
            maxRetryAfter = value;
            return this;
        }

        /**
         * The longest {@code Prefer: wait} honoured, on submit and on the monitor; longer ones
         * are cut to it. Keep it below your proxies' idle timeouts. Default: 30 s.
         */
        public Builder maxWait(Duration value) {
            given.mark("maxWait");
            Objects.requireNonNull(value, "maxWait");
            if (value.isNegative()) {
                throw new IllegalArgumentException("maxWait must not be negative");
            }
            maxWait = value;
            return this;
        }

        /**
         * Whether {@code GET /jobs/{id}} of a succeeded job answers {@code 303 See Other} to
         * {@code /jobs/{id}/result} instead of {@code 200} with the result inline. Default: false.
         */
        public Builder resultRedirect(boolean value) {
            given.mark("resultRedirect");
            resultRedirect = value;
            return this;
        }

        /**
         * The addresses of the reverse proxies in front of the application (exact IP addresses,
         * as the adapter reports the peer). Only requests from these have their
         * {@code Forwarded} or {@code X-Forwarded-*} headers honoured. Default: none.
         */
        public Builder trustedProxies(Set<String> addresses) {
            given.mark("trustedProxies");
            trustedProxies = Set.copyOf(Objects.requireNonNull(addresses, "addresses"));
            return this;
        }

        /**
         * The hosts clients may use, each {@code name} (on the scheme's default port only: 80 for
         * http, 443 for https), {@code name:port} (that port only) or {@code name:*} (any port);
         * names are compared case-insensitively, IPv6 addresses in brackets ({@code [::1]:8080}).
         * Requests for any other host or port, directly or as forwarded, get {@code 400}, so a
         * forged {@code Host} cannot make the server hand out links elsewhere. Default: any host.
         *
         * @throws IllegalArgumentException if an entry is none of these forms
         */
        public Builder allowedHosts(Set<String> hosts) {
            given.mark("allowedHosts");
            Objects.requireNonNull(hosts, "hosts").forEach(Forwarding::allowedHost);
            allowedHosts = Set.copyOf(hosts);
            return this;
        }

        /**
         * Builds the engine.
         *
         * @throws IllegalStateException if a route lies under the jobs path, or two routes of one
         *                               job type disagree on {@code echoInput} or {@code retryAfter}
         *                               (monitors show a job by its type, whatever route made it)
         */
        public ProtocolEngine build() {
            Map<String, Route> byType = new HashMap<>();
            for (Map<String, Route> methods : routes.values()) {
                for (Route route : methods.values()) {
                    Route other = byType.putIfAbsent(route.type(), route);
                    if (other != null
                            && (other.echoesInput() != route.echoesInput()
                                    || !other.fixedRetryAfter().equals(route.fixedRetryAfter()))) {
                        throw new IllegalStateException("routes " + other + " and " + route
                                + " must agree on echoInput and retryAfter: both serve job type " + route.type());
                    }
                }
            }
            String jobs = jobsPath != null ? jobsPath : DEFAULT_JOBS_PATH;
            for (String path : routes.keySet()) {
                if (path.equals(jobs) || path.startsWith(jobs + "/")) {
                    throw new IllegalStateException("route " + path + " lies under the jobs path " + jobs);
                }
            }
            return new ProtocolEngine(this);
        }
    }
}
