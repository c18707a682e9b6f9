package io.github.accepted.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.accepted.Accepted;
import io.github.accepted.conformance.Http.Reply;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.protocol.Route;
import io.github.accepted.spi.JobExecutor;
import io.github.accepted.spi.JobStore;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;

/**
 * What the HTTP suites share: apps under test (an engine with the {@link TestHandlers}, its
 * protocol with test routes, a clock the test moves, the server running them), the client, and
 * assertions. An adapter's test implements {@link #start(ProtocolEngine)} once per suite, and
 * {@link #startWithThreads(ProtocolEngine, int)} where its server's threads can be capped.
 *
 * <p>Extend it directly for an adapter's own tests over a real socket: {@link #app(Config)} starts
 * an {@link App} through {@link #start(ProtocolEngine)} and stops it after the test.
 *
 * <p>The server under test must treat the {@value Http#PRINCIPAL_HEADER} header as the request's
 * authenticated principal, so that owner isolation can be tested with the adapter's default
 * owner resolution.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ConformanceHarness {

    /** The owner most tests act as. */
    protected static final String ALICE = "alice";
    /** Another owner. */
    protected static final String BOB = "bob";

    /** The client. */
    protected final Http http = new Http();

    private final List<App> apps = new ArrayList<>();

    /**
     * Serves {@code engine} on a real socket (port 0) in the container under test.
     */
    protected abstract RunningServer start(ProtocolEngine engine) throws Exception;

    /**
     * Serves {@code engine} like {@link #start(ProtocolEngine)}, but with the server's
     * request-handling threads capped at {@code threads}: the most threads the adapter's requests
     * can ever run on at once (Jetty's {@code QueuedThreadPool} maximum, Tomcat's
     * {@code maxThreads}, Reactor Netty's event loops and the adapter's blocking scheduler). The
     * suites use it to prove that a waiting client holds no thread: more clients wait at once than
     * there are threads, and the server still answers.
     *
     * <p>The default aborts the tests that need it (they are reported as skipped): override it.
     */
    protected RunningServer startWithThreads(ProtocolEngine engine, int threads) throws Exception {
        Assumptions.abort(
                "override startWithThreads(engine, threads) to run the checks on threads held by waiting clients");
        throw new AssertionError("unreachable");
    }

    /**
     * How an app under test is configured: public fields, each with its default; a test changes
     * what it needs before {@link #app(Config)}. Not thread-safe.
     */
    public static final class Config {
        /** Job worker threads. */
        public int workers = 4;
        /** Most jobs queued at once; more are refused with {@code 503}. */
        public int maxQueued = 100;
        /** Most job records kept in memory. */
        public int maxRetained = 1000;
        /** Most jobs one owner may have queued at once; more are refused with {@code 429}. */
        public int maxQueuedPerOwner = JobStore.DEFAULT_MAX_QUEUED_PER_OWNER;
        /** How long closing the engine waits for running jobs. */
        public Duration shutdownTimeout = Duration.ofSeconds(1);
        /** Whether a succeeded job's monitor answers {@code 303} to its result. */
        public boolean resultRedirect;
        /** How long finished jobs are kept. */
        public Duration retention = Duration.ofHours(24);
        /** The longest {@code Prefer: wait} honoured. */
        public Duration maxWait = Duration.ofSeconds(30);
        /** The peers whose forwarding headers are honoured. */
        public Set<String> trustedProxies = Set.of();
        /** The hosts clients may use; empty for any. */
        public Set<String> allowedHosts = Set.of();
        /**
         * When positive, the server is started with {@link #startWithThreads(ProtocolEngine, int)}
         * and this many threads; when 0 (the default), with {@link #start(ProtocolEngine)}.
         */
        public int threads;

        /** The defaults above. */
        public Config() {}
    }

    /**
     * An app under test: an engine with every {@link TestHandlers} type and a test clock, its
     * protocol with the test routes ({@code POST /api/{type}} for each type, and a few with route
     * options), and the server running them. Made by {@link #app(Config)}.
     */
    public final class App {
        /** The job engine. */
        public final Accepted accepted;
        /** The engine's clock, which the test moves. */
        public final MutableClock clock;
        /** The server under test. */
        public final RunningServer server;

        App(Config config) throws Exception {
            clock = MutableClock.startingNow();
            accepted = TestHandlers.registerAll(Accepted.builder())
                    .store(JobStore.inMemory(config.maxQueued, config.maxRetained, config.maxQueuedPerOwner))
                    .executor(JobExecutor.fixedThreadPool(config.workers))
                    .clock(clock)
                    .retention(config.retention)
                    .shutdownTimeout(config.shutdownTimeout)
                    .pollInterval(Duration.ofMillis(50))
                    .build();
            ProtocolEngine.Builder protocol = ProtocolEngine.builder(accepted)
                    .resultRedirect(config.resultRedirect)
                    .maxWait(config.maxWait)
                    .trustedProxies(config.trustedProxies)
                    .allowedHosts(config.allowedHosts);
            for (String type : List.of("echo", "gated", "stubborn", "fail", "document", "meta", "slow", "hang")) {
                protocol.route("POST", "/api/" + type, type);
            }
            protocol.route(Route.of("POST", "/api/auto/echo", "echo").waitByDefault(Duration.ofSeconds(10)))
                    .route(Route.of("POST", "/api/auto/gated", "gated").waitByDefault(Duration.ofMillis(300)))
                    .route(Route.of("POST", "/api/keyed/echo", "echo").requireIdempotencyKey())
                    .route(Route.of("POST", "/api/echoing/visible-echo", "visible-echo")
                            .echoInput())
                    .route(Route.of("POST", "/api/fixed/paced", "paced").retryAfter(Duration.ofSeconds(7)));
            ProtocolEngine engine = protocol.build();
            try {
                server = config.threads > 0 ? startWithThreads(engine, config.threads) : start(engine);
            } catch (Exception | Error e) {
                accepted.close();
                throw e;
            }
        }

        /** The absolute URI of {@code path} (like {@code /jobs}) inside the application. */
        public URI uri(String path) {
            return URI.create(server.baseUri() + path);
        }

        /** {@code POST /api/{type}} with this JSON, as {@code principal} (null for anonymous). */
        public Reply submit(String type, String json, @Nullable String principal) {
            return http.postJson(uri("/api/" + type), principal, json);
        }

        /** Submits, asserts the {@code 202}, and returns the monitor's {@code Location}. */
        public URI submitted(String type, String json, @Nullable String principal) {
            Reply reply = submit(type, json, principal);
            assertThat(reply.status()).as(reply.text()).isEqualTo(202);
            return URI.create(reply.header("Location").orElseThrow());
        }
    }

    /** An app with the default configuration. */
    protected App app() throws Exception {
        return app(new Config());
    }

    /** An app with this configuration; closed after the test. */
    protected App app(Config config) throws Exception {
        App app = new App(config);
        apps.add(app);
        return app;
    }

    @AfterEach
    void stopApps() throws Exception {
        for (App app : apps) {
            app.accepted.close();
            app.server.close();
        }
    }

    // ---- helpers ------------------------------------------------------------------------

    protected static String gateInput(String gate) {
        return "{\"gate\":\"" + gate + "\"}";
    }

    protected JsonNode awaitStatus(URI monitor, @Nullable String principal, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    Reply reply = http.get(monitor, principal);
                    last[0] = reply.json();
                    return status.equals(last[0].path("status").asText());
                });
        return last[0];
    }

    /** Waits until a {@code gated} job reports its 50 %, i.e. it runs and waits at its gate. */
    protected void awaitHalfway(URI monitor) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.get(monitor, ALICE)
                                .json()
                                .path("progress")
                                .path("percent")
                                .asInt()
                        == 50);
    }

    /** A problem reply: the status, the media type, the fields, and nothing internal. */
    protected static JsonNode assertProblem(Reply reply, int status, String type) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        assertThat(reply.header("Content-Type"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("application/problem+json"));
        assertThat(reply.header("Cache-Control")).contains("no-store");
        assertThat(reply.header("X-Content-Type-Options")).contains("nosniff");
        JsonNode problem = reply.json();
        assertThat(problem.path("type").asText()).isEqualTo("urn:accepted:problem:" + type);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertNothingInternal(reply.text());
        return problem;
    }

    /** No stack trace, class name, internal path or secret message in a body. */
    protected static void assertNothingInternal(String body) {
        assertThat(body)
                .doesNotContain(
                        "Exception", "\tat ", "java.", ".java", "io.github.accepted.", "/etc/", TestHandlers.SECRET);
    }

    protected static void assertMonitorHeaders(Reply reply) {
        assertThat(reply.header("Content-Type"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("application/json"));
        assertThat(reply.header("Cache-Control")).contains("no-store");
        assertThat(reply.header("X-Content-Type-Options")).contains("nosniff");
    }
}
