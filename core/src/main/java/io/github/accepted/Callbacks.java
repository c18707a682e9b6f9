package io.github.accepted;

import io.github.accepted.internal.SetOnce;
import io.github.accepted.spi.CallbackOutbox;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Completion callbacks (webhooks): when a job ends, its monitor JSON is POSTed to the URLs its
 * client named at submission ({@code Callback-URL} header) and to those the application
 * registered for its type, signed as Standard Webhooks asks, at least once. Given to
 * {@link Accepted.Builder#callbacks(Callbacks)}; the full story is in {@code docs/webhooks.md}.
 *
 * <pre>{@code
 * Callbacks callbacks = Callbacks.builder()
 *     .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")   // several while rotating
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. SSRF protection is on: callbacks reach only public addresses
 * unless {@link Builder#allow(String) allow-listed}.
 */
public final class Callbacks {

    /** Default most callbacks a client may ask for on one job: 3. */
    public static final int DEFAULT_MAX_PER_JOB = 3;
    /** Default longest callback URL: 2,000 characters. */
    public static final int DEFAULT_MAX_URL_LENGTH = 2000;
    /** Default most POSTs in flight at once, per instance: 16. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 16;
    /** Default wait before the first retry: 5 seconds (then doubled, with jitter). */
    public static final Duration DEFAULT_FIRST_RETRY = Duration.ofSeconds(5);
    /** Default longest wait between two retries: 1 hour. */
    public static final Duration DEFAULT_MAX_RETRY_INTERVAL = Duration.ofHours(1);
    /** Default age, counted from the job's end, after which delivery is given up: 24 hours. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
    /** Default time to connect: 5 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default time for a whole attempt (connect, TLS, send, status line): 15 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    /** Default interval at which the outbox is checked for due callbacks: 1 second. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    final List<String> secrets;
    final List<AddressRange> allowed;
    final HostResolver resolver;
    final CallbackOutbox outbox;
    final Map<String, List<TypeCallback>> byType;
    final int maxPerJob;
    final int maxUrlLength;
    final int maxInFlight;
    final Duration firstRetry;
    final Duration maxRetryInterval;
    final Duration maxAge;
    final Duration connectTimeout;
    final Duration timeout;
    final Duration pollInterval;
    final SSLSocketFactory tls;

    /** A callback the application registered for every job of a type. */
    record TypeCallback(URI url, Set<JobStatus> events) {}

    private Callbacks(Builder b) {
        this.secrets = List.copyOf(b.secrets);
        this.allowed = List.copyOf(b.allowed);
        this.resolver = b.resolver != null ? b.resolver : HostResolver.system();
        this.outbox = b.outbox != null ? b.outbox : CallbackOutbox.inMemory();
        Map<String, List<TypeCallback>> types = new LinkedHashMap<>();
        b.byType.forEach((type, list) -> types.put(type, List.copyOf(list)));
        this.byType = Map.copyOf(types);
        this.maxPerJob = b.maxPerJob != null ? b.maxPerJob : DEFAULT_MAX_PER_JOB;
        this.maxUrlLength = b.maxUrlLength != null ? b.maxUrlLength : DEFAULT_MAX_URL_LENGTH;
        this.maxInFlight = b.maxInFlight != null ? b.maxInFlight : DEFAULT_MAX_IN_FLIGHT;
        this.firstRetry = b.firstRetry != null ? b.firstRetry : DEFAULT_FIRST_RETRY;
        this.maxRetryInterval = b.maxRetryInterval != null ? b.maxRetryInterval : DEFAULT_MAX_RETRY_INTERVAL;
        this.maxAge = b.maxAge != null ? b.maxAge : DEFAULT_MAX_AGE;
        this.connectTimeout = b.connectTimeout != null ? b.connectTimeout : DEFAULT_CONNECT_TIMEOUT;
        this.timeout = b.timeout != null ? b.timeout : DEFAULT_TIMEOUT;
        this.pollInterval = b.pollInterval != null ? b.pollInterval : DEFAULT_POLL_INTERVAL;
        this.tls = b.tls != null ? b.tls : (SSLSocketFactory) SSLSocketFactory.getDefault();
    }

    /** A builder; at least one secret is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where the callbacks wait for delivery. */
    public CallbackOutbox outbox() {
        return outbox;
    }

    /**
     * Configures {@link Callbacks}. Each setting may be given once (secrets, allow-list entries
     * and type callbacks add up); {@link #build()} fills in the documented defaults. Not
     * thread-safe.
     */
    public static final class Builder {

        private final SetOnce given = new SetOnce();
        private final List<String> secrets = new ArrayList<>();
        private final List<AddressRange> allowed = new ArrayList<>();
        private final Map<String, List<TypeCallback>> byType = new LinkedHashMap<>();
        private @Nullable HostResolver resolver;
        private @Nullable CallbackOutbox outbox;
        private @Nullable Integer maxPerJob;
        private @Nullable Integer maxUrlLength;
        private @Nullable Integer maxInFlight;
        private @Nullable Duration firstRetry;
        private @Nullable Duration maxRetryInterval;
        private @Nullable Duration maxAge;
        private @Nullable Duration connectTimeout;
        private @Nullable Duration timeout;
        private @Nullable Duration pollInterval;
        private @Nullable SSLSocketFactory tls;

        private Builder() {}

        /**
         * Adds a signing secret, {@code whsec_} + base64 of at least 16 random bytes. Every
         * callback is signed with every secret (one {@code v1,} signature each): add the new
         * secret, let receivers accept it, then remove the old one.
         *
         * @throws IllegalArgumentException if it is not such a secret
         */
        public Builder secret(String whsec) {
            WebhookSigner.decode(Objects.requireNonNull(whsec, "secret"));
            secrets.add(whsec);
            return this;
        }

        /**
         * Lets callbacks reach addresses in {@code cidr} ({@code 10.1.2.0/24}, {@code 127.0.0.1},
         * {@code fd12:3456::/32}) although they are not public. Nothing is allowed by default.
         *
         * @throws IllegalArgumentException if it is not an IP address with an optional prefix length
         */
        public Builder allow(String cidr) {
            allowed.add(AddressRange.parse(Objects.requireNonNull(cidr, "cidr")));
            return this;
        }

        /**
         * Registers a callback for every job of {@code type}, for the given terminal states (all
         * three when empty). The application's own callbacks are checked by the same SSRF rules
         * at delivery and are not shown on monitors.
         */
        public Builder forType(String type, URI url, Set<JobStatus> events) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(url, "url");
            Set<JobStatus> chosen = events.isEmpty() ? CallbackRequest.ALL_EVENTS : Set.copyOf(events);
            if (chosen.stream().anyMatch(s -> !s.isTerminal())) {
                throw new IllegalArgumentException("events must be terminal states");
            }
            new AddressGuard(List.of(), HostResolver.system(), Integer.MAX_VALUE).parse(url.toString());
            byType.computeIfAbsent(type, t -> new ArrayList<>()).add(new TypeCallback(url, chosen));
            return this;
        }

        /** How host names are resolved. Default: {@link HostResolver#system()}. */
        public Builder resolver(HostResolver value) {
            given.mark("resolver");
            resolver = Objects.requireNonNull(value, "resolver");
            return this;
        }

        /**
         * Where callbacks wait for delivery. Default: {@link CallbackOutbox#inMemory()}, which
         * lives as long as the process; {@code PostgresCallbackOutbox} survives it.
         */
        public Builder outbox(CallbackOutbox value) {
            given.mark("outbox");
            outbox = Objects.requireNonNull(value, "outbox");
            return this;
        }

        /** Most callbacks a client may ask for on one job. Default: {@link #DEFAULT_MAX_PER_JOB}. */
        public Builder maxPerJob(int value) {
            given.mark("maxPerJob");
            maxPerJob = range(value, 1, 20, "maxPerJob");
            return this;
        }

        /** Longest callback URL. Default: {@link #DEFAULT_MAX_URL_LENGTH}. */
        public Builder maxUrlLength(int value) {
            given.mark("maxUrlLength");
            maxUrlLength = range(value, 16, 8000, "maxUrlLength");
            return this;
        }

        /** Most POSTs in flight at once on this instance. Default: {@link #DEFAULT_MAX_IN_FLIGHT}. */
        public Builder maxInFlight(int value) {
            given.mark("maxInFlight");
            maxInFlight = range(value, 1, 1000, "maxInFlight");
            return this;
        }

        /**
         * Retries: the first after {@code first}, each next one twice as late (up to {@code max}
         * between two), each with up to ±20 % jitter. Defaults: {@link #DEFAULT_FIRST_RETRY},
         * {@link #DEFAULT_MAX_RETRY_INTERVAL}.
         */
        public Builder retries(Duration first, Duration max) {
            given.mark("retries");
            firstRetry = positive(first, "first");
            maxRetryInterval = positive(max, "max");
            if (max.compareTo(first) < 0) {
                throw new IllegalArgumentException("max must not be shorter than first");
            }
            return this;
        }

        /** Age, from the job's end, after which delivery is given up. Default: {@link #DEFAULT_MAX_AGE}. */
        public Builder maxAge(Duration value) {
            given.mark("maxAge");
            maxAge = positive(value, "maxAge");
            return this;
        }

        /**
         * Time to connect, and for a whole attempt (connect, TLS handshake, request, status line).
         * Defaults: {@link #DEFAULT_CONNECT_TIMEOUT}, {@link #DEFAULT_TIMEOUT}.
         */
        public Builder timeouts(Duration connect, Duration total) {
            given.mark("timeouts");
            connectTimeout = positive(connect, "connect");
            timeout = positive(total, "total");
            return this;
        }

        /** How often the outbox is checked for due callbacks. Default: {@link #DEFAULT_POLL_INTERVAL}. */
        public Builder pollInterval(Duration value) {
            given.mark("pollInterval");
            pollInterval = positive(value, "pollInterval");
            return this;
        }

        /** The TLS sockets for https callbacks. Default: the JVM's default {@link SSLSocketFactory}. */
        public Builder tls(SSLSocketFactory value) {
            given.mark("tls");
            tls = Objects.requireNonNull(value, "tls");
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalStateException if no secret was given
         */
        public Callbacks build() {
            if (secrets.isEmpty()) {
                throw new IllegalStateException("add at least one secret");
            }
            return new Callbacks(this);
        }

        private static int range(int value, int min, int max, String name) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
            }
            return value;
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
