package io.github.accepted.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.accepted.conformance.Http.Reply;
import io.github.accepted.internal.EngineInternals;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The protocol beyond the basic contract, over a real socket: {@code Prefer: wait} and
 * {@code respond-async}, long-polling, {@code Idempotency-Key}, forwarding headers behind proxies,
 * the {@code Retry-After} policy, handler metadata and input echo, and that a waiting client holds no thread. Every adapter extends it,
 * as it extends {@link HttpConformanceSuite}, {@link BadInputSuite} and {@link ReliabilitySuite}.
 */
public abstract class ProtocolDepthSuite extends ConformanceHarness {

    // ---- Prefer on submit ---------------------------------------------------------------

    @Test
    void submit_withPreferWait_answersTheOutcome_whenTheJobFinishesInTime() throws Exception {
        App app = app();
        Reply reply = http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"quick\"}", "Prefer", "wait=10");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Preference-Applied")).contains("wait=10");
        String location = reply.header("Location").orElseThrow();
        assertThat(reply.header("Content-Location")).contains(location);
        assertThat(reply.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(reply.json().path("result").path("echo").asText()).isEqualTo("quick");
    }

    @Test
    void submit_withPreferWait_ofAFailingJob_answersTheFailure() throws Exception {
        App app = app();
        Reply reply = http.postJson(app.uri("/api/fail"), ALICE, "{\"explain\":true}", "Prefer", "wait=10");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("status").asText()).isEqualTo("failed");
        assertThat(reply.json().path("error").path("detail").asText()).isEqualTo("the report source is offline");
    }

    @Test
    void submit_withPreferWait_answers202_whenTheJobTakesLonger() throws Exception {
        App app = app();
        String gate = Gates.newGate();
        Reply reply = http.postJson(app.uri("/api/gated"), ALICE, gateInput(gate), "Prefer", "wait=1");
        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.header("Location")).isPresent();
        assertThat(reply.json().path("status").asText()).isIn("queued", "running");
        Gates.open(gate);
    }

    @Test
    void absurdWaits_areCutToTheConfiguredMaximum() throws Exception {
        Config config = new Config();
        config.maxWait = Duration.ofSeconds(1);
        App app = app(config);
        String gate = Gates.newGate();
        long start = System.nanoTime();
        Reply reply = http.postJson(app.uri("/api/gated"), ALICE, gateInput(gate), "Prefer", "wait=99999999999999");
        assertThat(reply.status()).isEqualTo(202);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
        Gates.open(gate);
    }

    /** RFC 7240 §2: a preference the server cannot understand is ignored, not refused. */
    @Test
    void malformedWait_isIgnored_likeAnyPreferenceNotUnderstood() throws Exception {
        App app = app();
        for (String prefer : List.of("wait=-1", "wait=abc", "wait=1.5", "wait=", "respond-async, wait=\"x\"")) {
            Reply reply = http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"x\"}", "Prefer", prefer);
            assertThat(reply.status()).as(prefer).isIn(200, 202);
            assertThat(reply.header("Preference-Applied").orElse("")).as(prefer).doesNotContain("wait");
        }
        assertThat(http.get(app.uri("/jobs"), ALICE).json().path("jobs")).hasSize(5);
        Reply unknownPreference = http.postJson(
                app.uri("/api/echo"), ALICE, "{\"text\":\"x\"}", "Prefer", "return=minimal; foo=bar, handling=lenient");
        assertThat(unknownPreference.status())
                .as("preferences it does not know are ignored")
                .isEqualTo(202);
    }

    @Test
    void submitThatWaited_sendsPreferenceApplied_asAMonitorThatWaited() throws Exception {
        App app = app();
        String gate = Gates.newGate();
        Reply submitted = http.postJson(app.uri("/api/gated"), ALICE, gateInput(gate), "Prefer", "wait=1");
        assertThat(submitted.status()).isEqualTo(202);
        assertThat(submitted.header("Preference-Applied"))
                .as("the submit waited 1 s")
                .contains("wait=1");
        URI monitor = URI.create(submitted.header("Location").orElseThrow());
        awaitHalfway(monitor);
        Reply polled = http.get(monitor, ALICE, "Prefer", "wait=1");
        assertThat(polled.status()).isEqualTo(202);
        assertThat(polled.header("Preference-Applied"))
                .as("the poll waited 1 s")
                .contains("wait=1");
        Gates.open(gate);
    }

    @Test
    void answersThatDependOnPrefer_sayVaryPrefer() throws Exception {
        App app = app();
        Reply submitted = http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"x\"}");
        assertThat(submitted.status()).isEqualTo(202);
        assertVaryPrefer(submitted);
        Reply waited = http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"y\"}", "Prefer", "wait=10");
        assertThat(waited.status()).isEqualTo(200);
        assertVaryPrefer(waited);
        URI monitor = URI.create(submitted.header("Location").orElseThrow());
        awaitStatus(monitor, ALICE, "succeeded");
        Reply polled = http.get(monitor, ALICE);
        assertVaryPrefer(polled);
        Reply notModified =
                http.get(monitor, ALICE, "If-None-Match", polled.header("ETag").orElseThrow());
        assertThat(notModified.status()).isEqualTo(304);
        assertVaryPrefer(notModified);
    }

    private static void assertVaryPrefer(Reply reply) {
        assertThat(reply.headers().allValues("Vary"))
                .as("Vary of a " + reply.status())
                .anySatisfy(vary -> assertThat(vary).containsIgnoringCase("Prefer"));
    }

    @Test
    void autoRoute_answersTheOutcome_unlessTheClientPrefersRespondAsync() throws Exception {
        App app = app();
        Reply auto = http.postJson(app.uri("/api/auto/echo"), ALICE, "{\"text\":\"auto\"}");
        assertThat(auto.status()).isEqualTo(200);
        assertThat(auto.json().path("result").path("echo").asText()).isEqualTo("auto");

        Reply async =
                http.postJson(app.uri("/api/auto/echo"), ALICE, "{\"text\":\"async\"}", "Prefer", "respond-async");
        assertThat(async.status()).isEqualTo(202);
        assertThat(async.header("Preference-Applied")).contains("respond-async");

        String gate = Gates.newGate();
        Reply slow = http.postJson(app.uri("/api/auto/gated"), ALICE, gateInput(gate));
        assertThat(slow.status())
                .as("over its budget, the auto route answers 202")
                .isEqualTo(202);
        Gates.open(gate);
    }

    // ---- long-polling -------------------------------------------------------------------

    @Test
    void longPoll_answersAsSoonAsTheJobChanges() throws Exception {
        App app = app();
        String gate = Gates.newGate();
        URI monitor = app.submitted("gated", gateInput(gate), ALICE);
        awaitHalfway(monitor);
        String tag = http.get(monitor, ALICE).header("ETag").orElseThrow();

        CompletableFuture<Reply> waiting = CompletableFuture.supplyAsync(
                () -> http.get(monitor, ALICE, "Prefer", "wait=25", "If-None-Match", tag));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> EngineInternals.of(app.accepted).waitingCount() == 1);
        assertThat(waiting).as("nothing changed yet").isNotDone();

        Gates.open(gate);
        Reply reply = waiting.get(20, TimeUnit.SECONDS);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(reply.header("Preference-Applied")).contains("wait=25");
        assertThat(EngineInternals.of(app.accepted).waitingCount()).isZero();
    }

    @Test
    void longPoll_withNothingChanging_answersAtTheDeadline() throws Exception {
        App app = app();
        String gate = Gates.newGate();
        URI monitor = app.submitted("gated", gateInput(gate), ALICE);
        awaitHalfway(monitor);
        String tag = http.get(monitor, ALICE).header("ETag").orElseThrow();

        Reply unchanged = http.get(monitor, ALICE, "Prefer", "wait=1", "If-None-Match", tag);
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.header("Retry-After")).isPresent();
        Reply plain = http.get(monitor, ALICE, "Prefer", "wait=1");
        assertThat(plain.status()).isEqualTo(202);
        assertThat(plain.json().path("status").asText()).isEqualTo("running");
        assertThat(EngineInternals.of(app.accepted).waitingCount()).isZero();
        Gates.open(gate);
    }

    @Test
    void longPoll_ofAStaleTag_orAFinishedJob_answersAtOnce() throws Exception {
        App app = app();
        URI monitor = app.submitted("echo", "{\"text\":\"x\"}", ALICE);
        awaitStatus(monitor, ALICE, "succeeded");
        long start = System.nanoTime();
        assertThat(http.get(monitor, ALICE, "Prefer", "wait=20").status()).isEqualTo(200);
        assertThat(http.get(monitor, ALICE, "Prefer", "wait=20", "If-None-Match", "\"stale\"")
                        .status())
                .isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }

    /** The request threads the server gets in {@link #waitingClients_holdNoThread_soTwiceThePoolWaitAtOnce_andTheServerStillAnswers}. */
    static final int SMALL_POOL = 8;

    /**
     * Twice as many clients as the server has threads wait at once, and another request is still
     * answered: an adapter that holds a thread per waiting client (a blocking
     * {@code engine.handle()}, or a blocking {@code join()} of the engine's future) can never have
     * more waiters than threads, and fails here. Needs {@link #startWithThreads}.
     */
    @Test
    void waitingClients_holdNoThread_soTwiceThePoolWaitAtOnce_andTheServerStillAnswers() throws Exception {
        Config config = new Config();
        config.threads = SMALL_POOL;
        App app = app(config);
        String gate = Gates.newGate();
        int clients = 2 * SMALL_POOL;
        ExecutorService callers = Executors.newFixedThreadPool(clients);
        try {
            URI monitor = app.submitted("gated", gateInput(gate), ALICE);
            awaitHalfway(monitor);
            String tag = http.get(monitor, ALICE).header("ETag").orElseThrow();
            List<Future<Reply>> waiting = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                waiting.add(callers.submit(() -> http.get(monitor, ALICE, "Prefer", "wait=25", "If-None-Match", tag)));
            }
            try {
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> EngineInternals.of(app.accepted).waitingCount() == clients);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(
                        EngineInternals.of(app.accepted).waitingCount() + " of " + clients
                                + " long-polls are waiting on a server"
                                + " with " + SMALL_POOL
                                + " request threads: the adapter holds a thread per waiting client",
                        e);
            }
            Reply probe = http.get(monitor, ALICE);
            assertThat(probe.status())
                    .as("a poll while %d clients wait", clients)
                    .isEqualTo(202);

            Gates.open(gate);
            for (Future<Reply> reply : waiting) {
                assertThat(reply.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        } finally {
            Gates.open(gate);
            callers.shutdownNow();
        }
    }

    // ---- idempotency keys ---------------------------------------------------------------

    @Test
    void sameKeyAndRequest_returnsTheSameJob_andQueuesOne() throws Exception {
        App app = app();
        String key = "\"" + UUID.randomUUID() + "\"";
        Reply first = http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"once\"}", "Idempotency-Key", key);
        Reply again = http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"once\"}", "Idempotency-Key", key);
        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isIn(200, 202);
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(http.get(app.uri("/jobs"), ALICE).json().path("jobs")).hasSize(1);

        Reply otherOwner = http.postJson(app.uri("/api/echo"), BOB, "{\"text\":\"once\"}", "Idempotency-Key", key);
        assertThat(otherOwner.header("Location"))
                .as("keys are scoped to their owner")
                .isNotEqualTo(first.header("Location"));
    }

    @Test
    void sameKeyWithAnotherBody_is422() throws Exception {
        App app = app();
        String key = "\"" + UUID.randomUUID() + "\"";
        http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"one\"}", "Idempotency-Key", key);
        assertProblem(
                http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"two\"}", "Idempotency-Key", key),
                422,
                "idempotency-key-reused");
        assertThat(http.get(app.uri("/jobs"), ALICE).json().path("jobs")).hasSize(1);
    }

    @Test
    void malformedKeys_are400() throws Exception {
        App app = app();
        for (String key : List.of(
                "\"\"", "\"unterminated", "\"bad \\x escape\"", "has space", "\"" + "k".repeat(256) + "\""
                /* non-ASCII keys are refused too (IdempotencyKeysTest): HttpClient cannot send them */ )) {
            Reply reply = http.send(
                    "POST",
                    app.uri("/api/echo"),
                    ALICE,
                    "application/json",
                    "{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                    "Idempotency-Key",
                    key);
            assertThat(reply.status()).as(key).isEqualTo(400);
            assertProblem(reply, 400, "invalid-idempotency-key");
        }
        assertThat(http.get(app.uri("/jobs"), ALICE).json().path("jobs")).isEmpty();
        assertThat(http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"x\"}", "Idempotency-Key", "bare-token-1")
                        .status())
                .isEqualTo(202);
    }

    @Test
    void routeThatRequiresAKey_refusesRequestsWithoutOne() throws Exception {
        App app = app();
        assertProblem(
                http.postJson(app.uri("/api/keyed/echo"), ALICE, "{\"text\":\"x\"}"), 400, "idempotency-key-missing");
        assertThat(http.postJson(app.uri("/api/keyed/echo"), ALICE, "{\"text\":\"x\"}", "Idempotency-Key", "\"k1\"")
                        .status())
                .isEqualTo(202);
    }

    /**
     * Issue 19: anonymous callers shared one key scope, so anonymous B sending A's key and body got
     * A's job (and its result), and with another body a 422 that told B the key existed.
     */
    @Test
    void anonymousCallers_cannotUseIdempotencyKeys_soNoneReadsAnothersJobOrProbesItsKey() throws Exception {
        App app = app();
        String key = "\"" + UUID.randomUUID() + "\"";
        Reply first = http.postJson(app.uri("/api/echo"), null, "{\"text\":\"a secret\"}", "Idempotency-Key", key);
        JsonNode problem = assertProblem(first, 400, "idempotency-key-needs-owner");
        assertThat(problem.path("detail").asText()).contains("authenticated");
        assertThat(first.header("Location")).isEmpty();
        Reply same = http.postJson(app.uri("/api/echo"), null, "{\"text\":\"a secret\"}", "Idempotency-Key", key);
        assertProblem(same, 400, "idempotency-key-needs-owner");
        assertThat(same.header("Location")).isEmpty();
        assertProblem(
                http.postJson(app.uri("/api/echo"), null, "{\"text\":\"other\"}", "Idempotency-Key", key),
                400,
                "idempotency-key-needs-owner");
        assertThat(http.postJson(app.uri("/api/echo"), null, "{\"text\":\"x\"}").status())
                .as("without a key, anonymous submits still work")
                .isEqualTo(202);
        assertThat(http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"x\"}", "Idempotency-Key", key)
                        .status())
                .as("an owner may use the key")
                .isEqualTo(202);
    }

    @Test
    void routeThatRequiresAKey_refusesAnonymousCallers_with403_keyOrNot() throws Exception {
        App app = app();
        JsonNode without =
                assertProblem(http.postJson(app.uri("/api/keyed/echo"), null, "{\"text\":\"x\"}"), 403, "forbidden");
        assertThat(without.path("detail").asText()).contains("authenticated");
        assertProblem(
                http.postJson(app.uri("/api/keyed/echo"), null, "{\"text\":\"x\"}", "Idempotency-Key", "\"k\""),
                403,
                "forbidden");
    }

    @Test
    void concurrentDuplicates_createExactlyOneJob() throws Exception {
        App app = app();
        String key = "\"" + UUID.randomUUID() + "\"";
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                replies.add(pool.submit(() -> {
                    start.await();
                    return http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"race\"}", "Idempotency-Key", key);
                }));
            }
            Set<String> locations = new HashSet<>();
            for (Future<Reply> reply : replies) {
                Reply r = reply.get(30, TimeUnit.SECONDS);
                assertThat(r.status()).isIn(200, 202);
                locations.add(r.header("Location").orElseThrow());
            }
            assertThat(locations).hasSize(1);
            assertThat(http.get(app.uri("/jobs"), ALICE).json().path("jobs")).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keys_areForgotten_whenTheirJobExpires() throws Exception {
        Config config = new Config();
        config.retention = Duration.ofMinutes(1);
        App app = app(config);
        String key = "\"" + UUID.randomUUID() + "\"";
        Reply first = http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"x\"}", "Idempotency-Key", key);
        awaitStatus(URI.create(first.header("Location").orElseThrow()), ALICE, "succeeded");
        app.clock.advance(Duration.ofMinutes(2));
        EngineInternals.of(app.accepted).purgeExpired();
        Reply later = http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"other\"}", "Idempotency-Key", key);
        assertThat(later.status()).isEqualTo(202);
        assertThat(later.header("Location")).isNotEqualTo(first.header("Location"));
    }

    // ---- proxies ------------------------------------------------------------------------

    @Test
    void forwardingHeaders_fromAnUntrustedPeer_areIgnored() throws Exception {
        App app = app();
        URI base = app.server.baseUri();
        Reply reply = http.postJson(
                app.uri("/api/echo"),
                ALICE,
                "{\"text\":\"x\"}",
                "X-Forwarded-Host",
                "evil.example",
                "X-Forwarded-Proto",
                "https",
                "Forwarded",
                "host=evil.example");
        assertThat(reply.header("Location").orElseThrow()).startsWith(base + "/jobs/");
    }

    @Test
    void forwardingHeaders_fromATrustedProxy_makeThePublicUrls() throws Exception {
        Config config = new Config();
        config.trustedProxies = Set.of("127.0.0.1", "0:0:0:0:0:0:0:1");
        App app = app(config);
        String context = app.server.baseUri().getPath();
        Reply xForwarded = http.postJson(
                app.uri("/api/echo"),
                ALICE,
                "{\"text\":\"x\"}",
                "X-Forwarded-Proto",
                "https",
                "X-Forwarded-Host",
                "api.example.com",
                "X-Forwarded-Prefix",
                "/reports-service");
        assertThat(xForwarded.header("Location").orElseThrow())
                .startsWith("https://api.example.com/reports-service" + context + "/jobs/");

        Reply forwarded = http.postJson(
                app.uri("/api/echo"),
                ALICE,
                "{\"text\":\"x\"}",
                "Forwarded",
                "for=192.0.2.60;proto=https;host=\"public.example:8443\"");
        assertThat(forwarded.header("Location").orElseThrow())
                .startsWith("https://public.example:8443" + context + "/jobs/");

        assertProblem(
                http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"x\"}", "X-Forwarded-Proto", "gopher"),
                400,
                "host-not-allowed");
        assertProblem(
                http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"x\"}", "X-Forwarded-Host", "a/b@c"),
                400,
                "host-not-allowed");
    }

    @Test
    void forwardedPortAndPrefix_fromATrustedProxy_mustBeAPortAndAPlainPath() throws Exception {
        Config config = new Config();
        config.trustedProxies = Set.of("127.0.0.1", "0:0:0:0:0:0:0:1");
        App app = app(config);
        String context = app.server.baseUri().getPath();
        for (String port : List.of("0", "65536", "99999", "00")) {
            assertProblem(
                    http.postJson(
                            app.uri("/api/echo"),
                            ALICE,
                            "{\"text\":\"x\"}",
                            "X-Forwarded-Host",
                            "api.example.com",
                            "X-Forwarded-Port",
                            port),
                    400,
                    "host-not-allowed");
        }
        assertProblem(
                http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"x\"}", "X-Forwarded-Host", "api.example.com:0"),
                400,
                "host-not-allowed");
        assertThat(http.postJson(
                                app.uri("/api/echo"),
                                ALICE,
                                "{\"text\":\"x\"}",
                                "X-Forwarded-Host",
                                "api.example.com",
                                "X-Forwarded-Port",
                                "65535")
                        .header("Location")
                        .orElseThrow())
                .startsWith("http://api.example.com:65535" + context + "/jobs/");
        for (String prefix : List.of(
                "/a/./b", "/a/.", "/./a", "/..", "/a;v=1/b", "/a;", "/%2e%2e/jobs", "/a/%2E/b", "/a/.%2e", "/a%zz")) {
            assertProblem(
                    http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"x\"}", "X-Forwarded-Prefix", prefix),
                    400,
                    "host-not-allowed");
        }
        assertThat(http.postJson(
                                app.uri("/api/echo"),
                                ALICE,
                                "{\"text\":\"x\"}",
                                "X-Forwarded-Host",
                                "api.example.com",
                                "X-Forwarded-Prefix",
                                "/svc/v1.2/")
                        .header("Location")
                        .orElseThrow())
                .as("dots inside a segment are fine")
                .startsWith("http://api.example.com/svc/v1.2" + context + "/jobs/");
    }

    /** RFC 7239 §4: a value may be a quoted-string, and a quoted one may hold {@code ,} and {@code ;}. */
    @Test
    void forwarded_quotedValuesMayHoldCommasAndSemicolons() throws Exception {
        Config config = new Config();
        config.trustedProxies = Set.of("127.0.0.1", "0:0:0:0:0:0:0:1");
        App app = app(config);
        String context = app.server.baseUri().getPath();
        Reply reply = http.postJson(
                app.uri("/api/echo"),
                ALICE,
                "{\"text\":\"x\"}",
                "Forwarded",
                "for=\"198.51.100.7\";by=\"_edge,a;b=\\\"c\\\"\";proto=https;host=\"public.example:8443\"");
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        assertThat(reply.header("Location").orElseThrow())
                .startsWith("https://public.example:8443" + context + "/jobs/");
    }

    @Test
    void allowedHosts_checkThePortToo() throws Exception {
        Config config = new Config();
        config.trustedProxies = Set.of("127.0.0.1", "0:0:0:0:0:0:0:1");
        config.allowedHosts = Set.of("public.example", "api.example.com:8443", "dev.example:*");
        App app = app(config);
        String context = app.server.baseUri().getPath();
        for (String[] allowed : new String[][] {
            {"https", "public.example", "https://public.example"},
            {"https", "public.example:443", "https://public.example"},
            {"http", "public.example", "http://public.example"},
            {"https", "api.example.com:8443", "https://api.example.com:8443"},
            {"http", "dev.example:31337", "http://dev.example:31337"}
        }) {
            Reply reply = http.postJson(
                    app.uri("/api/echo"),
                    ALICE,
                    "{\"text\":\"x\"}",
                    "X-Forwarded-Proto",
                    allowed[0],
                    "X-Forwarded-Host",
                    allowed[1]);
            assertThat(reply.status()).as(allowed[1] + " " + reply.text()).isEqualTo(202);
            assertThat(reply.header("Location").orElseThrow()).startsWith(allowed[2] + context + "/jobs/");
        }
        for (String[] refused : new String[][] {
            {"https", "public.example:8443"},
            {"http", "public.example:443"},
            {"https", "api.example.com"},
            {"https", "api.example.com:9443"},
            {"https", "evil.example"}
        }) {
            assertProblem(
                    http.postJson(
                            app.uri("/api/echo"),
                            ALICE,
                            "{\"text\":\"x\"}",
                            "X-Forwarded-Proto",
                            refused[0],
                            "X-Forwarded-Host",
                            refused[1]),
                    400,
                    "host-not-allowed");
        }
        assertProblem(http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"x\"}"), 400, "host-not-allowed");
    }

    @Test
    void forgedHost_isRefused_whenHostsAreRestricted() throws Exception {
        Config config = new Config();
        config.allowedHosts = Set.of("127.0.0.1:*", "localhost:*");
        App app = app(config);
        URI monitor = app.submitted("echo", "{\"text\":\"x\"}", ALICE);
        String path = monitor.getPath();
        Http.RawReply forged = http.raw(monitor, path, "Host: evil.example", Http.PRINCIPAL_HEADER + ": " + ALICE);
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.headers().get("content-type")).startsWith("application/problem+json");
        assertThat(forged.restText())
                .as("the engine's problem, not the server's own 400")
                .contains("urn:accepted:problem:host-not-allowed");
        Http.RawReply honest =
                http.raw(monitor, path, "Host: 127.0.0.1:" + monitor.getPort(), Http.PRINCIPAL_HEADER + ": " + ALICE);
        assertThat(honest.status()).isIn(200, 202);
    }

    // ---- Retry-After, metadata, input ---------------------------------------------------

    @Test
    void retryAfter_adaptsToTheJobsOwnProgress() throws Exception {
        App app = app();
        String gate = Gates.newGate();
        URI monitor = app.submitted("gated", gateInput(gate), ALICE);
        awaitHalfway(monitor);
        app.clock.advance(Duration.ofSeconds(40));
        // 50 % after 40 s: about 40 s to go; poll again in half of that
        assertThat(http.get(monitor, ALICE).header("Retry-After")).contains("20");
        app.clock.advance(Duration.ofSeconds(40));
        assertThat(http.get(monitor, ALICE).header("Retry-After"))
                .as("capped at 30 s")
                .contains("30");
        Gates.open(gate);
    }

    @Test
    void retryAfter_isFixed_whereTheRouteSaysSo() throws Exception {
        App app = app();
        String gate = Gates.newGate();
        Reply reply = http.postJson(app.uri("/api/fixed/paced"), ALICE, gateInput(gate));
        assertThat(reply.header("Retry-After")).contains("7");
        assertThat(http.get(URI.create(reply.header("Location").orElseThrow()), ALICE)
                        .header("Retry-After"))
                .contains("7");
        Gates.open(gate);
    }

    @Test
    void handlerMetadata_isShownInTheMonitor() throws Exception {
        App app = app();
        String gate = Gates.newGate();
        URI monitor = app.submitted("meta", gateInput(gate), ALICE);
        JsonNode metadata = await().atMost(Duration.ofSeconds(30))
                .until(() -> http.get(monitor, ALICE).json().path("metadata"), JsonNode::isObject);
        assertThat(metadata.path("stage").asText()).isEqualTo("render");
        assertThat(metadata.path("rows").asInt()).isEqualTo(1200);
        Gates.open(gate);
    }

    @Test
    void input_isEchoedOnlyWhereTheRouteOptsIn() throws Exception {
        App app = app();
        Reply echoing = http.postJson(app.uri("/api/echoing/visible-echo"), ALICE, "{\"text\":\"visible\"}");
        assertThat(echoing.json().path("input").path("text").asText()).isEqualTo("visible");
        Reply plain = http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"hidden\"}");
        assertThat(plain.json().has("input")).isFalse();
        assertThat(plain.text()).doesNotContain("hidden");
    }

    /**
     * RFC 9112 §9.3 and §9.6: a server that answers before it has read a request's body either
     * says {@code Connection: close} or keeps the connection usable for the next request. An answer
     * that looks persistent on a connection the server then closes makes a pooling client
     * (java.net.http, browsers) send its next request into a dead socket. The body here is held
     * back until the answer has arrived, which is what a slow client or a split TCP write does.
     */
    @Test
    void anAnswerGivenBeforeTheBodyArrived_closesOrKeepsTheConnectionUsable() throws Exception {
        App app = app();
        String[][] refusals = {
            {"/api/echo", "text/plain", "415"},
            {"/jobs", "application/json", "405"},
        };
        for (String[] refusal : refusals) {
            URI target = app.uri(refusal[0]);
            byte[] body = "{\"text\":\"late\"}".getBytes(StandardCharsets.UTF_8);
            try (java.net.Socket socket = new java.net.Socket(target.getHost(), target.getPort())) {
                socket.setSoTimeout(30_000);
                java.io.OutputStream out = socket.getOutputStream();
                java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
                out.write(("POST " + target.getRawPath() + " HTTP/1.1\r\nHost: " + target.getHost() + ":"
                                + target.getPort() + "\r\n" + Http.PRINCIPAL_HEADER + ": " + ALICE
                                + "\r\nContent-Type: "
                                + refusal[1] + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                RawResponse first = RawResponse.read(in);
                assertThat(first.status()).as(refusal[0]).isEqualTo(Integer.parseInt(refusal[2]));
                if (first.closes()) {
                    continue; // the client knows not to reuse the connection
                }
                RawResponse second;
                try {
                    out.write(body);
                    out.write(("GET " + app.uri("/jobs").getRawPath() + " HTTP/1.1\r\nHost: " + target.getHost()
                                    + ":" + target.getPort() + "\r\n" + Http.PRINCIPAL_HEADER + ": " + ALICE
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    second = RawResponse.read(in);
                } catch (java.net.SocketException e) {
                    second = new RawResponse(-1, java.util.Map.of()); // broken pipe: the server had closed it
                }
                assertThat(second.status())
                        .as(
                                "the %s answer to %s did not say Connection: close, so the connection must serve the "
                                        + "next request",
                                refusal[2], refusal[0])
                        .isEqualTo(200);
            }
        }
    }

    /** One HTTP/1.1 response read off a socket: status, lower-cased header names, body skipped. */
    private record RawResponse(int status, java.util.Map<String, String> headers) {

        boolean closes() {
            return headers.getOrDefault("connection", "")
                    .toLowerCase(java.util.Locale.ROOT)
                    .contains("close");
        }

        /** Returns status -1 if the server closed the connection before a status line. */
        static RawResponse read(java.io.InputStream in) throws java.io.IOException {
            String statusLine;
            try {
                statusLine = line(in);
            } catch (java.net.SocketException e) {
                return new RawResponse(-1, java.util.Map.of()); // reset: the server had closed it
            }
            if (statusLine == null) {
                return new RawResponse(-1, java.util.Map.of());
            }
            java.util.Map<String, String> headers = new java.util.HashMap<>();
            for (String header; (header = line(in)) != null && !header.isEmpty(); ) {
                int colon = header.indexOf(':');
                headers.merge(
                        header.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                        header.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
            if (headers.containsKey("content-length")) {
                in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
                for (int size;
                        (size = Integer.parseInt(
                                        java.util.Objects.requireNonNull(line(in), "closed inside a chunked body")
                                                .split(";", -1)[0]
                                                .trim(),
                                        16))
                                > 0; ) {
                    in.readNBytes(size);
                    line(in);
                }
                for (String trailer; (trailer = line(in)) != null && !trailer.isEmpty(); ) {
                    // trailers are not looked at
                }
            }
            return new RawResponse(Integer.parseInt(statusLine.split(" ", -1)[1]), headers);
        }

        private static @Nullable String line(java.io.InputStream in) throws java.io.IOException {
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0; ) {
                if (c == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append((char) c);
            }
            return line.length() == 0 ? null : line.toString();
        }
    }
}
