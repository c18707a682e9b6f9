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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

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
 */
public final class AcceptedClient {

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
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration requestTimeout;
    private final Duration longPollWait;
    private final Duration submitWait;
    private final int maxRetries;
    private final Clock clock;
    private final Executor executor;

    private AcceptedClient(Builder b) {
        this.http = b.http != null ? b.http : HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.mapper = b.mapper != null ? b.mapper : new ObjectMapper();
        this.interpreter = new Interpreter(mapper);
        this.headers = Map.copyOf(b.headers);
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
     * Submits a job: {@code POST}s {@code input} as JSON to {@code uri}.
     *
     * @throws ServerBusyException       if the server refused it for now ({@code 503})
     * @throws RequestRejectedException  if the server refused it ({@code 4xx}, other {@code 5xx})
     * @throws TransportException        if the server could not be reached (a submit is never
     *                                   retried: it might have been accepted)
     */
    public JobHandle submit(URI uri, Object input) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(input);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("input cannot be written as JSON", e);
        }
        HttpRequest.Builder request = request(uri, Optional.empty())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!submitWait.isZero()) {
            request.header("Prefer", "wait=" + submitWait.toSeconds());
            request.timeout(requestTimeout.plus(submitWait));
        }
        return submit(request.build());
    }

    /** Submits a request you built (any method, body and headers); answered as {@link #submit(URI, Object)}. */
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
        Optional<String> monitor = response.headers().firstValue("Operation-Location")
                .or(() -> response.headers().firstValue("Location"));
        if (code == 202) {
            if (monitor.isEmpty()) {
                throw new MalformedResponseException("202 Accepted without Operation-Location or Location", null);
            }
            JobHandle job = new JobHandle(this, request.uri().resolve(monitor.get()));
            interpreter.jsonObject(response).ifPresent(body -> job.observe(body, response.headers().firstValue("ETag"),
                    job.statusUrl()));
            job.start(job.pollAgain(job.statusUrl(), response));
            return job;
        }
        if (code == 503 || code == 429) {
            throw new ServerBusyException(RetryAfter.parse(response.headers().firstValue("Retry-After"), clock)
                    .orElse(null), interpreter.problem(response).orElse(null));
        }
        if (code >= 200 && code < 400) {
            // finished at once (Prefer: wait), or a synchronous API: read it like a monitor's answer
            JobHandle job = new JobHandle(this, request.uri().resolve(monitor
                    .or(() -> response.headers().firstValue("Content-Location")).orElse(request.uri().toString())));
            job.start(interpreter.status(job, request.uri(), response));
            return job;
        }
        throw new RequestRejectedException(code, interpreter.problem(response).orElse(null));
    }

    /** Follows a job submitted earlier (by this process or another), from its status monitor URL. */
    public JobHandle attach(URI statusUrl) {
        return new JobHandle(this, Objects.requireNonNull(statusUrl, "statusUrl"));
    }

    HttpRequest.Builder request(URI uri, Optional<Duration> longPoll) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(longPoll.map(requestTimeout::plus).orElse(requestTimeout))
                .header("Accept", "application/json, application/problem+json;q=0.9, */*;q=0.8");
        headers.forEach(builder::header);
        return builder;
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

        private final Map<String, String> headers = new LinkedHashMap<>();
        private HttpClient http;
        private ObjectMapper mapper;
        private Duration initialBackoff;
        private Duration maxBackoff;
        private Duration requestTimeout;
        private Duration longPollWait;
        private Duration submitWait;
        private Integer maxRetries;
        private Clock clock;
        private Executor executor;

        private Builder() {
        }

        /**
         * The HTTP client to use. It should not follow redirects itself (the default does not):
         * the client follows {@code 303} to results on its own.
         */
        public Builder httpClient(HttpClient value) {
            once(http, "httpClient");
            http = Objects.requireNonNull(value, "httpClient");
            return this;
        }

        /** The mapper for inputs and results. Default: a plain {@link ObjectMapper}. */
        public Builder objectMapper(ObjectMapper value) {
            once(mapper, "objectMapper");
            mapper = Objects.requireNonNull(value, "objectMapper");
            return this;
        }

        /** A header sent with every request, such as {@code Authorization}. */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (headers.putIfAbsent(name, value) != null) {
                throw new IllegalStateException("header " + name + " is set already");
            }
            return this;
        }

        /**
         * Backoff between polls when the server gives no {@code Retry-After}: starts at
         * {@code initial}, doubles, never exceeds {@code max}, with jitter. Defaults: 250 ms, 10 s.
         */
        public Builder backoff(Duration initial, Duration max) {
            once(initialBackoff, "backoff");
            initialBackoff = positive(initial, "initial");
            maxBackoff = positive(max, "max");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max backoff must not be below the initial one");
            }
            return this;
        }

        /** How long one request may take, beyond a long-poll wait. Default: 30 s. */
        public Builder requestTimeout(Duration value) {
            once(requestTimeout, "requestTimeout");
            requestTimeout = positive(value, "requestTimeout");
            return this;
        }

        /**
         * The {@code Prefer: wait} sent on polls, so that a server supporting it answers as soon
         * as the job changes; {@link Duration#ZERO} to send none. Default: 10 s.
         */
        public Builder longPollWait(Duration value) {
            once(longPollWait, "longPollWait");
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
            once(submitWait, "submitWait");
            Objects.requireNonNull(value, "submitWait");
            if (value.isNegative()) {
                throw new IllegalArgumentException("submitWait must not be negative");
            }
            submitWait = value;
            return this;
        }

        /** How many network errors or {@code 5xx} answers in a row are retried. Default: 3. */
        public Builder maxRetries(int value) {
            once(maxRetries, "maxRetries");
            if (value < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative");
            }
            maxRetries = value;
            return this;
        }

        /** The clock that {@code Retry-After} dates are read against. Default: the system clock. */
        public Builder clock(Clock value) {
            once(clock, "clock");
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Where delayed polls are scheduled and callbacks run. Default: the common pool. */
        public Builder executor(Executor value) {
            once(executor, "executor");
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

        private static void once(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " is set already");
            }
        }
    }
}
