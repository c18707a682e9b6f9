package io.github.accepted.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.jspecify.annotations.Nullable;

/**
 * Submits jobs to any {@code 202 Accepted} API and follows them to their result.
 *
 * <pre>{@code
 * AcceptedClient client = AcceptedClient.create();
 * JobHandle job = client.submit(URI.create("https://api.example.com/api/reports"),
 *         Map.of("report_type", "annual_summary"));
 * JobResult pdf = job.onProgress(p -> System.out.println(p.percent() + "% " + p.message()))
 *         .awaitResult(Duration.ofMinutes(5));
 * }</pre>
 *
 * <p>Works with Accepted servers and with servers that speak only part of the pattern (just
 * {@code 202} + {@code Location}; Azure-style {@code Operation-Location} monitors). Immutable
 * and thread-safe; share one instance.
 *
 * <p><b>Credentials.</b> The headers given to {@link Builder#header(String, String)} go only to
 * the origin (scheme, host and port) of the URI a job was submitted to or attached at, and to the
 * origins given to {@link Builder#trustOrigin(URI)}. A {@code Location}, {@code Operation-Location},
 * {@code resultUrl} or redirect naming any other origin is still followed, but without those
 * headers, as browsers do with credentials and {@code curl --location} does without
 * {@code --location-trusted}.
 */
public final class AcceptedClient {

    private static final System.Logger LOG = System.getLogger(AcceptedClient.class.getName());

    /** Default delay before the first poll when the server gives no {@code Retry-After}. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(250);
    /** Default longest delay between polls when the server gives no {@code Retry-After}. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
    /** Default time a single request may take, beyond any long-poll wait. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@code Prefer: wait} sent on polls (servers that do not support it ignore it). */
    public static final Duration DEFAULT_LONG_POLL_WAIT = Duration.ofSeconds(10);
    /** Default number of network errors or {@code 5xx} answers in a row that are retried. */
    public static final int DEFAULT_MAX_RETRIES = 3;

    private final HttpClient http;
    private final ObjectMapper mapper;
    private final Interpreter interpreter;
    private final Map<String, String> headers;
    private final Set<Origin> trustedOrigins;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration requestTimeout;
    private final Duration longPollWait;
    private final Duration submitWait;
    private final int maxRetries;
    private final Clock clock;
    private final Executor executor;

    private AcceptedClient(Builder b) {
        this.http = b.http != null
                ? b.http
                : HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build();
        this.mapper = b.mapper != null ? b.mapper : new ObjectMapper();
        this.interpreter = new Interpreter(mapper);
        this.headers = Map.copyOf(b.headers);
        this.trustedOrigins = Set.copyOf(b.trustedOrigins);
        this.initialBackoff = b.initialBackoff != null ? b.initialBackoff : DEFAULT_INITIAL_BACKOFF;
        this.maxBackoff = b.maxBackoff != null ? b.maxBackoff : DEFAULT_MAX_BACKOFF;
        this.requestTimeout = b.requestTimeout != null ? b.requestTimeout : DEFAULT_REQUEST_TIMEOUT;
        this.longPollWait = b.longPollWait != null ? b.longPollWait : DEFAULT_LONG_POLL_WAIT;
        this.submitWait = b.submitWait != null ? b.submitWait : Duration.ZERO;
        this.maxRetries = b.maxRetries != null ? b.maxRetries : DEFAULT_MAX_RETRIES;
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.executor = b.executor != null ? b.executor : ForkJoinPool.commonPool();
    }

    /** A client with every default. */
    public static AcceptedClient create() {
        return builder().build();
    }

    /** A builder with every default in place. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Submits a job: {@code POST}s {@code input} as JSON to {@code uri}, with the configured
     * headers. The origin of {@code uri} becomes the job's own: the configured headers go with
     * every later request to it, and to no other origin unless trusted.
     *
     * @throws ServerBusyException       if the server refused it for now ({@code 503})
     * @throws RequestRejectedException  if the server refused it ({@code 4xx}, other {@code 5xx})
     * @throws TransportException        if the server could not be reached (a submit is never
     *                                   retried: it might have been accepted)
     * @throws IllegalArgumentException  if {@code uri} is not an absolute {@code http} or
     *                                   {@code https} URL, or {@code input} cannot be written as JSON
     */
    public JobHandle submit(URI uri, Object input) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(input);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("input cannot be written as JSON", e);
        }
        HttpRequest.Builder request = request(uri, Optional.empty(), origin(uri, "uri"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!submitWait.isZero()) {
            request.header("Prefer", "wait=" + submitWait.toSeconds());
            request.timeout(requestTimeout.plus(submitWait));
        }
        return submit(request.build());
    }

    /**
     * Submits a request you built (any method, body and headers); answered as
     * {@link #submit(URI, Object)}. It is sent as it is: the configured headers are not added,
     * and the headers it carries go with it alone, never with the polls that follow. Those polls
     * carry the configured headers on the request's origin and on trusted ones.
     */
    public JobHandle submit(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TransportException("could not submit to " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcceptedClientException("interrupted while submitting to " + request.uri(), null, e);
        }
        int code = response.statusCode();
        Optional<String> monitor = response.headers()
                .firstValue("Operation-Location")
                .or(() -> response.headers().firstValue("Location"));
        if (code == 202) {
            if (monitor.isEmpty()) {
                throw new MalformedResponseException("202 Accepted without Operation-Location or Location", null);
            }
            JobHandle job = new JobHandle(this, request.uri().resolve(monitor.get()), origin(request.uri(), "request"));
            interpreter
                    .jsonObject(response)
                    .ifPresent(body -> job.observe(body, response.headers().firstValue("ETag"), job.statusUrl()));
            job.start(job.pollAgain(job.statusUrl(), response));
            return job;
        }
        if (code == 503 || code == 429) {
            throw new ServerBusyException(
                    RetryAfter.parse(response.headers().firstValue("Retry-After"), clock)
                            .orElse(null),
                    interpreter.problem(response).orElse(null));
        }
        if (code >= 200 && code < 400) {
            // finished at once (Prefer: wait), or a synchronous API: read it like a monitor's answer
            JobHandle job = new JobHandle(
                    this,
                    request.uri()
                            .resolve(monitor.or(() -> response.headers().firstValue("Content-Location"))
                                    .orElse(request.uri().toString())),
                    origin(request.uri(), "request"));
            job.start(interpreter.status(job, request.uri(), response));
            return job;
        }
        throw new RequestRejectedException(code, interpreter.problem(response).orElse(null));
    }

    /**
     * Follows a job submitted earlier (by this process or another), from its status monitor URL.
     * The origin of {@code statusUrl} becomes the job's own, so the configured headers go to it:
     * attach only a URL you would give them to.
     *
     * @throws IllegalArgumentException if {@code statusUrl} is not an absolute {@code http} or
     *                                  {@code https} URL
     */
    public JobHandle attach(URI statusUrl) {
        return new JobHandle(this, statusUrl, origin(Objects.requireNonNull(statusUrl, "statusUrl"), "statusUrl"));
    }

    /**
     * A request to {@code uri} for a job whose own origin is {@code home}: it carries the
     * configured headers only when {@code uri} is on {@code home} or on a trusted origin.
     */
    HttpRequest.Builder request(URI uri, Optional<Duration> longPoll, Origin home) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(longPoll.map(requestTimeout::plus).orElse(requestTimeout))
                .header("Accept", "application/json, application/problem+json;q=0.9, */*;q=0.8");
        if (Origin.of(uri)
                .filter(target -> target.equals(home) || trustedOrigins.contains(target))
                .isPresent()) {
            headers.forEach(builder::header);
        } else if (!headers.isEmpty()) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "configured headers not sent to {0}: not the job''s origin {1}, " + "nor trusted",
                    uri,
                    home);
        }
        return builder;
    }

    private static Origin origin(URI uri, String name) {
        return Origin.of(uri)
                .orElseThrow(
                        () -> new IllegalArgumentException(name + " must be an absolute http or https URL: " + uri));
    }

    HttpClient http() {
        return http;
    }

    Interpreter interpreter() {
        return interpreter;
    }

    Duration initialBackoff() {
        return initialBackoff;
    }

    Duration maxBackoff() {
        return maxBackoff;
    }

    Duration longPollWait() {
        return longPollWait;
    }

    int maxRetries() {
        return maxRetries;
    }

    Clock clock() {
        return clock;
    }

    Executor executor() {
        return executor;
    }

    /** Configures an {@link AcceptedClient}. Each setting may be given once. Not thread-safe. */
    public static final class Builder {

        private final SetOnce given = new SetOnce();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Set<Origin> trustedOrigins = new LinkedHashSet<>();
        private @Nullable HttpClient http;
        private @Nullable ObjectMapper mapper;
        private @Nullable Duration initialBackoff;
        private @Nullable Duration maxBackoff;
        private @Nullable Duration requestTimeout;
        private @Nullable Duration longPollWait;
        private @Nullable Duration submitWait;
        private @Nullable Integer maxRetries;
        private @Nullable Clock clock;
        private @Nullable Executor executor;

        private Builder() {}

        /**
         * The HTTP client to use. It should not follow redirects itself (the default does not):
         * the client follows {@code 303} to results on its own, sending the configured headers
         * only where {@link #header(String, String)} says; redirects followed by the HTTP client
         * bypass that rule.
         */
        public Builder httpClient(HttpClient value) {
            given.mark("httpClient");
            http = Objects.requireNonNull(value, "httpClient");
            return this;
        }

        /** The mapper for inputs and results. Default: a plain {@link ObjectMapper}. */
        public Builder objectMapper(ObjectMapper value) {
            given.mark("objectMapper");
            mapper = Objects.requireNonNull(value, "objectMapper");
            return this;
        }

        /**
         * A header sent with every request to a job's own origin, such as {@code Authorization}.
         * A job's own origin is the scheme, host and port of the URI it was submitted to (or
         * attached at); the header also goes to the origins given to {@link #trustOrigin(URI)},
         * and to no other. A link to another origin is followed without it.
         *
         * @throws IllegalStateException if a header of that name is set already
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (headers.putIfAbsent(name, value) != null) {
                throw new IllegalStateException("header " + name + " is set already");
            }
            return this;
        }

        /**
         * An origin that the {@linkplain #header(String, String) headers} also go to, when a job's
         * monitor, result or redirect leads there from the origin it was submitted to; for
         * example {@code https://status.example.com} for an API at {@code https://api.example.com}.
         * Scheme and host are compared case-insensitively and a missing port is the scheme's
         * default, so {@code https://Status.example.com:443} is the same origin. Default: none.
         *
         * @param origin an absolute {@code http} or {@code https} URL with no path (or {@code /}),
         *               query, fragment or user information
         * @throws IllegalArgumentException if {@code origin} is not such a URL
         * @throws IllegalStateException    if that origin is trusted already
         */
        public Builder trustOrigin(URI origin) {
            Objects.requireNonNull(origin, "origin");
            boolean bare = origin.getRawUserInfo() == null
                    && origin.getRawQuery() == null
                    && origin.getRawFragment() == null
                    && (origin.getRawPath() == null
                            || origin.getRawPath().isEmpty()
                            || origin.getRawPath().equals("/"));
            Origin parsed = Origin.of(origin)
                    .filter(o -> bare)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "origin must be an absolute http or https URL without path, query, fragment or user: "
                                    + origin));
            if (!trustedOrigins.add(parsed)) {
                throw new IllegalStateException("origin " + parsed + " is trusted already");
            }
            return this;
        }

        /**
         * Backoff between polls when the server gives no {@code Retry-After}: starts at
         * {@code initial}, doubles, never exceeds {@code max}, with jitter. Defaults: 250 ms, 10 s.
         */
        public Builder backoff(Duration initial, Duration max) {
            given.mark("backoff");
            initialBackoff = positive(initial, "initial");
            maxBackoff = positive(max, "max");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max backoff must not be below the initial one");
            }
            return this;
        }

        /**
         * How long one request may take, beyond a long-poll wait. Default: 30 s. A poll that takes
         * longer is a network error, retried like one; when retries run out, the
         * {@link TransportException}'s cause is the {@link java.net.http.HttpTimeoutException}.
         */
        public Builder requestTimeout(Duration value) {
            given.mark("requestTimeout");
            requestTimeout = positive(value, "requestTimeout");
            return this;
        }

        /**
         * The {@code Prefer: wait} sent on polls, so that a server supporting it answers as soon
         * as the job changes; {@link Duration#ZERO} to send none. Default: 10 s.
         */
        public Builder longPollWait(Duration value) {
            given.mark("longPollWait");
            Objects.requireNonNull(value, "longPollWait");
            if (value.isNegative()) {
                throw new IllegalArgumentException("longPollWait must not be negative");
            }
            longPollWait = value;
            return this;
        }

        /**
         * The {@code Prefer: wait} sent on submit, so that a server supporting it answers with
         * the result when the job finishes that fast. Default: none.
         */
        public Builder submitWait(Duration value) {
            given.mark("submitWait");
            Objects.requireNonNull(value, "submitWait");
            if (value.isNegative()) {
                throw new IllegalArgumentException("submitWait must not be negative");
            }
            submitWait = value;
            return this;
        }

        /** How many network errors or {@code 5xx} answers in a row are retried. Default: 3. */
        public Builder maxRetries(int value) {
            given.mark("maxRetries");
            if (value < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative");
            }
            maxRetries = value;
            return this;
        }

        /** The clock that {@code Retry-After} dates are read against. Default: the system clock. */
        public Builder clock(Clock value) {
            given.mark("clock");
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Where delayed polls are scheduled and callbacks run. Default: the common pool. */
        public Builder executor(Executor value) {
            given.mark("executor");
            executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        /** Builds the client. */
        public AcceptedClient build() {
            return new AcceptedClient(this);
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
