package io.github.accepted.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.accepted.conformance.Http.Reply;
import io.github.accepted.internal.EngineInternals;
import io.github.accepted.protocol.ProtocolEngine;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Accepted's HTTP contract (docs/protocol.md) as tests over a real socket, and the duties every
 * adapter has beyond translating (routing by whole path segments, no body on {@code HEAD}).
 * Written once; every adapter and container extends it, and {@link ProtocolDepthSuite},
 * {@link BadInputSuite} and {@link ReliabilitySuite} likewise, each implementing
 * {@link #start(ProtocolEngine)}.
 *
 * <p>The server under test must treat the {@value Http#PRINCIPAL_HEADER} header as the request's
 * authenticated principal, so that owner isolation can be tested with the adapter's default
 * owner resolution.
 */
public abstract class HttpConformanceSuite extends ConformanceHarness {

    // ---- submit -------------------------------------------------------------------------

    @Test
    void submit_returns202_withAbsoluteLocation_operationLocation_retryAfter_andMonitor() throws Exception {
        App app = app();
        String gate = Gates.newGate();
        Reply reply = app.submit("gated", gateInput(gate), ALICE);

        assertThat(reply.status()).isEqualTo(202);
        assertMonitorHeaders(reply);
        String location = reply.header("Location").orElseThrow();
        assertThat(location).startsWith(app.server.baseUri() + "/jobs/");
        assertThat(URI.create(location).isAbsolute()).isTrue();
        assertThat(reply.header("Operation-Location")).contains(location);
        assertThat(Integer.parseInt(reply.header("Retry-After").orElseThrow())).isPositive();

        JsonNode monitor = reply.json();
        assertThat(monitor.path("jobId").asText()).hasSize(22);
        assertThat(location).endsWith("/jobs/" + monitor.path("jobId").asText());
        assertThat(monitor.path("type").asText()).isEqualTo("gated");
        assertThat(monitor.path("status").asText()).isIn("queued", "running");
        assertThat(monitor.path("done").asBoolean()).isFalse();
        assertThat(monitor.path("statusUrl").asText()).isEqualTo(location);
        assertThat(monitor.path("createdAt").asText()).endsWith("Z");
        assertThat(monitor.has("progress")).isTrue();
        assertThat(monitor.has("result")).isFalse();
        assertThat(monitor.toString()).as("input is not echoed").doesNotContain(gate);
        Gates.open(gate);
    }

    @Test
    void submit_ofEveryJob_getsADistinctUnguessableId() throws Exception {
        App app = app();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            Reply reply = app.submit("echo", "{\"text\":\"n" + i + "\"}", ALICE);
            String id = reply.json().path("jobId").asText();
            assertThat(id).matches("[A-Za-z0-9_-]{22}");
            ids.add(id);
        }
        assertThat(ids).hasSize(50);
    }

    @Test
    void anonymousJob_isReachableByItsIdAlone() throws Exception {
        App app = app();
        URI monitor = app.submitted("echo", "{\"text\":\"anon\"}", null);
        JsonNode done = awaitStatus(monitor, null, "succeeded");
        assertThat(done.path("result").path("echo").asText()).isEqualTo("anon");
    }

    // ---- polling ------------------------------------------------------------------------

    @Test
    void poll_whileRunning_returns202_withLocation_retryAfter_andProgress() throws Exception {
        App app = app();
        String gate = Gates.newGate();
        URI monitor = app.submitted("gated", gateInput(gate), ALICE);
        awaitStatus(monitor, ALICE, "running");

        Reply reply = http.get(monitor, ALICE);
        assertThat(reply.status()).isEqualTo(202);
        assertMonitorHeaders(reply);
        assertThat(reply.header("Location")).contains(monitor.toString());
        assertThat(reply.header("Retry-After")).isPresent();
        JsonNode body = reply.json();
        assertThat(body.path("status").asText()).isEqualTo("running");
        assertThat(body.path("progress").path("percent").asInt()).isEqualTo(50);
        assertThat(body.path("progress").path("message").asText()).isEqualTo("waiting at the gate");
        assertThat(body.path("attempt").asInt()).isEqualTo(1);
        assertThat(body.path("startedAt").asText()).isNotEmpty();
        Gates.open(gate);
    }

    @Test
    void poll_whenSucceeded_returns200_withResultInline() throws Exception {
        App app = app();
        URI monitor = app.submitted("echo", "{\"text\":\"hello\"}", ALICE);
        awaitStatus(monitor, ALICE, "succeeded");

        Reply reply = http.get(monitor, ALICE);
        assertThat(reply.status()).isEqualTo(200);
        assertMonitorHeaders(reply);
        assertThat(reply.header("Retry-After")).isEmpty();
        JsonNode body = reply.json();
        assertThat(body.path("done").asBoolean()).isTrue();
        assertThat(body.path("result").path("echo").asText()).isEqualTo("hello");
        assertThat(body.path("resultUrl").asText()).isEqualTo(monitor + "/result");
        assertThat(body.path("progress").path("percent").asInt()).isEqualTo(100);
        assertThat(body.path("finishedAt").asText()).isNotEmpty();
        assertThat(body.path("expiresAt").asText()).isNotEmpty();
    }

    @Test
    void poll_whenSucceeded_withResultRedirect_returns303ToTheResult() throws Exception {
        Config config = new Config();
        config.resultRedirect = true;
        App app = app(config);
        URI monitor = app.submitted("document", "{}", ALICE);
        awaitStatus(monitor, ALICE, "succeeded");

        Reply reply = http.get(monitor, ALICE);
        assertThat(reply.status()).isEqualTo(303);
        assertThat(reply.header("Location")).contains(monitor + "/result");
        Reply result = http.get(URI.create(reply.header("Location").orElseThrow()), ALICE);
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.text()).isEqualTo(TestHandlers.DOCUMENT);
    }

    @Test
    void head_onMonitor_answersLikeGet_withoutABody() throws Exception {
        App app = app();
        URI monitor = app.submitted("echo", "{\"text\":\"x\"}", ALICE);
        awaitStatus(monitor, ALICE, "succeeded");
        Reply reply = http.send("HEAD", monitor, ALICE, null, null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEmpty();
    }

    @Test
    void conditionalPoll_answers304_untilTheJobChanges() throws Exception {
        App app = app();
        String gate = Gates.newGate();
        URI monitor = app.submitted("gated", gateInput(gate), ALICE);
        awaitStatus(monitor, ALICE, "running");
        awaitHalfway(monitor);

        Reply first = http.get(monitor, ALICE);
        String tag = first.header("ETag").orElseThrow();
        Reply same = http.get(monitor, ALICE, "If-None-Match", tag);
        assertThat(same.status()).isEqualTo(304);
        assertThat(same.body()).isEmpty();
        assertThat(same.header("ETag")).contains(tag);
        assertThat(same.header("Retry-After"))
                .as("a poller still learns when to come back")
                .isPresent();
        assertThat(http.get(monitor, ALICE, "If-None-Match", "\"other\", W/" + tag)
                        .status())
                .isEqualTo(304);
        assertThat(http.get(monitor, ALICE, "If-None-Match", "*").status()).isEqualTo(304);
        assertThat(http.get(monitor, ALICE, "If-None-Match", "\"other\"").status())
                .isEqualTo(202);

        Gates.open(gate);
        awaitStatus(monitor, ALICE, "succeeded");
        Reply changed = http.get(monitor, ALICE, "If-None-Match", tag);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isPresent().isNotEqualTo(java.util.Optional.of(tag));
        assertThat(changed.json().path("status").asText()).isEqualTo("succeeded");

        Reply result = http.get(URI.create(monitor + "/result"), ALICE);
        String resultTag = result.header("ETag").orElseThrow();
        assertThat(http.get(URI.create(monitor + "/result"), ALICE, "If-None-Match", resultTag)
                        .status())
                .isEqualTo(304);
    }

    @Test
    void malformedIfNoneMatch_returns400() throws Exception {
        App app = app();
        URI monitor = app.submitted("echo", "{\"text\":\"x\"}", ALICE);
        assertProblem(http.get(monitor, ALICE, "If-None-Match", "no-quotes"), 400, "invalid-request");
        assertProblem(http.get(monitor, ALICE, "If-None-Match", "\"unterminated"), 400, "invalid-request");
        assertProblem(http.get(monitor, ALICE, "If-None-Match", "\"a\" \"b\""), 400, "invalid-request");
    }

    // ---- HTTP details (RFC 9110) --------------------------------------------------------

    /** HEAD answers like GET without a body: the GET's {@code Content-Length}, or none; never a wrong one. */
    @Test
    void head_sendsTheLengthOfTheGet_orNone_andNeverABody() throws Exception {
        App app = app();
        URI monitor = app.submitted("document", "{}", ALICE);
        awaitStatus(monitor, ALICE, "succeeded");
        URI missing = app.uri("/jobs/AAAAAAAAAAAAAAAAAAAAAA");
        for (URI uri : List.of(monitor, URI.create(monitor + "/result"), missing, app.uri("/jobs"))) {
            Reply get = http.get(uri, ALICE);
            Reply head = http.send("HEAD", uri, ALICE, null, null);
            assertThat(head.status()).as(uri.toString()).isEqualTo(get.status());
            assertThat(head.body()).as(uri.toString()).isEmpty();
            assertThat(head.header("Content-Type")).as(uri.toString()).isEqualTo(get.header("Content-Type"));
            head.header("Content-Length").ifPresent(length -> assertThat(Integer.parseInt(length))
                    .as("HEAD " + uri + " sends the GET's length or none")
                    .isEqualTo(get.body().length));
        }
    }

    /**
     * A 304 sends no {@code Content-Length}: the engine answers it from the tag without rendering
     * the body a length would count (RFC 9110 §8.6 makes it optional), so any length a container
     * adds, such as {@code 0}, is wrong.
     */
    @Test
    void notModified_sendsNoContentLength() throws Exception {
        App app = app();
        URI monitor = app.submitted("document", "{}", ALICE);
        awaitStatus(monitor, ALICE, "succeeded");
        for (URI uri : List.of(monitor, URI.create(monitor + "/result"))) {
            Reply full = http.get(uri, ALICE);
            Reply same =
                    http.get(uri, ALICE, "If-None-Match", full.header("ETag").orElseThrow());
            assertThat(same.status()).isEqualTo(304);
            assertThat(same.header("Content-Length")).as("304 of " + uri).isEmpty();
            assertThat(same.body()).as("304 of " + uri).isEmpty();
        }
    }

    /**
     * What a {@code HEAD} puts on the wire: the status line and headers, then nothing. (An HTTP
     * client does not read a body after a {@code HEAD}, so a body written anyway goes unnoticed
     * until it corrupts the next response on the connection.)
     */
    @Test
    void head_putsNoBodyOnTheWire() throws Exception {
        App app = app();
        URI monitor = app.submitted("document", "{}", ALICE);
        awaitStatus(monitor, ALICE, "succeeded");
        for (URI uri : List.of(
                monitor,
                URI.create(monitor + "/result"),
                app.uri("/jobs"),
                app.uri("/jobs/AAAAAAAAAAAAAAAAAAAAAA"),
                app.uri("/api/echo"))) {
            Reply get = http.get(uri, ALICE);
            Http.RawReply head = http.rawRequest(
                    uri, "HEAD", uri.getRawPath(), "Host: " + uri.getAuthority(), Http.PRINCIPAL_HEADER + ": " + ALICE);
            assertThat(head.status()).as("HEAD " + uri).isEqualTo(get.status());
            assertThat(head.restText())
                    .as("bytes after the headers of HEAD " + uri)
                    .isEmpty();
        }
    }

    // ---- routing: an adapter's duty ------------------------------------------------------

    /**
     * The adapter routes by whole path segments and strips the context path exactly: a path that
     * merely starts like the application's or like a route ({@code /app} vs {@code /apple},
     * {@code /jobs} vs {@code /jobsx}) is not the engine's, and the monitor is not served outside
     * the application. When the server under test mounts the application under a context path
     * (as the servlet tests do with {@code /app}), that is checked too.
     */
    @Test
    void paths_areMatchedByWholeSegments_andOnlyInsideTheApplication() throws Exception {
        App app = app();
        URI monitor = app.submitted("echo", "{\"text\":\"x\"}", ALICE);
        awaitStatus(monitor, ALICE, "succeeded");
        String id = monitor.getPath().substring(monitor.getPath().lastIndexOf('/') + 1);
        String base = app.server.baseUri().toString();
        List<String> notTheEngines = new ArrayList<>(List.of(
                base + "/jobsx/" + id, base + "/api/echoes", base + "/api/echo/x", base + "/jobs/" + id + "/resultx"));
        String context = app.server.baseUri().getRawPath();
        if (!context.isEmpty()) {
            String origin = base.substring(0, base.length() - context.length());
            notTheEngines.addAll(List.of(
                    origin + context + "le/api/echo",
                    origin + context + "le/jobs/" + id,
                    origin + "/api/echo",
                    origin + "/jobs/" + id));
        }
        for (String uri : notTheEngines) {
            Reply post = http.postJson(URI.create(uri), ALICE, "{\"text\":\"stray\"}");
            assertThat(post.status()).as("POST " + uri + ": " + post.text()).isIn(404, 405);
            Reply get = http.get(URI.create(uri), ALICE);
            assertThat(get.status()).as("GET " + uri + ": " + get.text()).isEqualTo(404);
        }
        assertThat(http.get(app.uri("/jobs"), ALICE).json().path("jobs"))
                .as("no stray job was queued")
                .hasSize(1);
    }

    @Test
    void ifNoneMatch_splitAcrossHeaderLines_isOneList() throws Exception {
        App app = app();
        URI monitor = app.submitted("echo", "{\"text\":\"x\"}", ALICE);
        awaitStatus(monitor, ALICE, "succeeded");
        String tag = http.get(monitor, ALICE).header("ETag").orElseThrow();
        Reply reply = http.get(monitor, ALICE, "If-None-Match", "\"other\"", "If-None-Match", tag);
        assertThat(reply.status()).isEqualTo(304);
    }

    @Test
    void delete_withIfMatch_actsOnlyOnTheVersionTheClientSaw_elseAnswers412() throws Exception {
        App app = app();
        String gate = Gates.newGate();
        URI monitor = app.submitted("gated", gateInput(gate), ALICE);
        awaitHalfway(monitor);
        String seen = http.get(monitor, ALICE).header("ETag").orElseThrow();
        Gates.open(gate);
        awaitStatus(monitor, ALICE, "succeeded");

        Reply stale = http.send("DELETE", monitor, ALICE, null, null, "If-Match", seen);
        JsonNode problem = assertProblem(stale, 412, "precondition-failed");
        assertThat(problem.path("detail").asText()).contains("changed");
        assertThat(http.get(monitor, ALICE).status())
                .as("the finished job was kept")
                .isEqualTo(200);
        assertThat(http.send("DELETE", monitor, ALICE, null, null, "If-Match", "W/" + seen)
                        .status())
                .as("If-Match compares strongly")
                .isEqualTo(412);
        assertProblem(http.send("DELETE", monitor, ALICE, null, null, "If-Match", "no-quotes"), 400, "invalid-request");

        String current = http.get(monitor, ALICE).header("ETag").orElseThrow();
        assertThat(http.send("DELETE", monitor, ALICE, null, null, "If-Match", "\"other\"", "If-Match", current)
                        .status())
                .as("a list split across lines matches if any tag does")
                .isEqualTo(204);
        assertProblem(http.send("DELETE", monitor, ALICE, null, null, "If-Match", "*"), 404, "not-found");
    }

    /** RFC 7240 §2: a preference the server does not understand is ignored, on every endpoint. */
    @Test
    void unparseablePreferences_areIgnored_onEveryEndpoint() throws Exception {
        App app = app();
        String[] prefer = {"Prefer", "wait=soon, respond-async=\"x,y\";;=, wait=-1"};
        Reply submitted = http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"x\"}", prefer);
        assertThat(submitted.status()).as(submitted.text()).isIn(200, 202);
        URI monitor = URI.create(submitted.header("Location").orElseThrow());
        awaitStatus(monitor, ALICE, "succeeded");
        assertThat(http.get(monitor, ALICE, prefer).status()).isEqualTo(200);
        assertThat(http.get(URI.create(monitor + "/result"), ALICE, prefer).status())
                .isEqualTo(200);
        assertThat(http.get(app.uri("/jobs"), ALICE, prefer).status()).isEqualTo(200);
        assertThat(http.send("DELETE", monitor, ALICE, null, null, prefer).status())
                .isEqualTo(204);
        assertThat(http.send("DELETE", monitor, ALICE, null, null, "Prefer", "x".repeat(2000))
                        .status())
                .as("even an overlong Prefer")
                .isEqualTo(404);
    }

    // ---- result -------------------------------------------------------------------------

    @Test
    void result_whenSucceeded_isServedWithItsMediaType() throws Exception {
        App app = app();
        URI monitor = app.submitted("document", "{}", ALICE);
        JsonNode done = awaitStatus(monitor, ALICE, "succeeded");
        assertThat(done.has("result")).as("a non-JSON result is not inlined").isFalse();
        assertThat(done.path("resultType").asText()).isEqualTo("text/plain; charset=utf-8");

        Reply result = http.get(URI.create(done.path("resultUrl").asText()), ALICE);
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.header("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(result.header("X-Content-Type-Options")).contains("nosniff");
        assertThat(result.text()).isEqualTo(TestHandlers.DOCUMENT);
    }

    @Test
    void result_ofJsonJob_isTheJsonResult() throws Exception {
        App app = app();
        URI monitor = app.submitted("echo", "{\"text\":\"json\"}", ALICE);
        awaitStatus(monitor, ALICE, "succeeded");
        Reply result = http.get(URI.create(monitor + "/result"), ALICE);
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.header("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(result.json().path("echo").asText()).isEqualTo("json");
    }

    @Test
    void result_whileUnfinished_returns409Problem() throws Exception {
        App app = app();
        String gate = Gates.newGate();
        URI monitor = app.submitted("gated", gateInput(gate), ALICE);
        Reply reply = http.get(URI.create(monitor + "/result"), ALICE);
        assertProblem(reply, 409, "result-not-ready");
        assertThat(reply.header("Retry-After")).isPresent();
        Gates.open(gate);
    }

    @Test
    void result_ofFailedJob_returns409Problem() throws Exception {
        App app = app();
        URI monitor = app.submitted("fail", "{\"explain\":true}", ALICE);
        awaitStatus(monitor, ALICE, "failed");
        assertProblem(http.get(URI.create(monitor + "/result"), ALICE), 409, "no-result");
    }

    // ---- failure ------------------------------------------------------------------------

    @Test
    void failedJob_showsTheHandlersProblem_in200Monitor() throws Exception {
        App app = app();
        URI monitor = app.submitted("fail", "{\"explain\":true}", ALICE);
        awaitStatus(monitor, ALICE, "failed");
        Reply reply = http.get(monitor, ALICE);
        assertThat(reply.status()).isEqualTo(200);
        JsonNode error = reply.json().path("error");
        assertThat(error.path("type").asText()).isEqualTo("urn:accepted:problem:job-failed");
        assertThat(error.path("title").asText()).isNotBlank();
        assertThat(error.path("detail").asText()).isEqualTo("the report source is offline");
        assertThat(reply.json().path("done").asBoolean()).isTrue();
    }

    @Test
    void failedJob_withInternalException_revealsNothingOfIt() throws Exception {
        App app = app();
        URI monitor = app.submitted("fail", "{\"explain\":false}", ALICE);
        awaitStatus(monitor, ALICE, "failed");
        Reply reply = http.get(monitor, ALICE);
        assertThat(reply.json().path("error").path("type").asText()).isEqualTo("urn:accepted:problem:job-failed");
        assertNothingInternal(reply.text());
    }

    // ---- cancel -------------------------------------------------------------------------

    @Test
    void cancel_ofQueuedJob_cancelsItAtOnce() throws Exception {
        Config config = new Config();
        config.workers = 1;
        App app = app(config);
        String gate = Gates.newGate();
        URI busy = app.submitted("gated", gateInput(gate), ALICE);
        awaitStatus(busy, ALICE, "running");
        URI queued = app.submitted("echo", "{\"text\":\"never\"}", ALICE);

        Reply reply = http.delete(queued, ALICE);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("status").asText()).isEqualTo("canceled");
        assertThat(reply.json().path("error").path("type").asText()).isEqualTo("urn:accepted:problem:job-canceled");

        Gates.open(gate);
        awaitStatus(busy, ALICE, "succeeded");
        JsonNode after = http.get(queued, ALICE).json();
        assertThat(after.path("status").asText()).isEqualTo("canceled");
        assertThat(after.path("attempt").asInt()).as("it never ran").isZero();
    }

    @Test
    void cancel_ofRunningJob_returns202_andTheJobEndsCanceled() throws Exception {
        App app = app();
        String gate = Gates.newGate();
        URI monitor = app.submitted("gated", gateInput(gate), ALICE);
        awaitStatus(monitor, ALICE, "running");

        Reply reply = http.delete(monitor, ALICE);
        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.header("Location")).contains(monitor.toString());
        assertThat(reply.json().path("cancelRequested").asBoolean()).isTrue();

        JsonNode canceled = awaitStatus(monitor, ALICE, "canceled");
        assertThat(canceled.path("done").asBoolean()).isTrue();
        assertThat(canceled.path("error").path("type").asText()).isEqualTo("urn:accepted:problem:job-canceled");
    }

    @Test
    void delete_ofFinishedJob_removesIt_with204() throws Exception {
        App app = app();
        URI monitor = app.submitted("echo", "{\"text\":\"x\"}", ALICE);
        awaitStatus(monitor, ALICE, "succeeded");
        Reply reply = http.delete(monitor, ALICE);
        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.body()).isEmpty();
        assertProblem(http.get(monitor, ALICE), 404, "not-found");
        assertProblem(http.delete(monitor, ALICE), 404, "not-found");
    }

    // ---- not found and owners -----------------------------------------------------------

    @Test
    void unknownOrMalformedId_returns404Problem() throws Exception {
        App app = app();
        assertProblem(http.get(app.uri("/jobs/AAAAAAAAAAAAAAAAAAAAAA"), ALICE), 404, "not-found");
        assertProblem(http.get(app.uri("/jobs/not-an-id"), ALICE), 404, "not-found");
        assertProblem(http.get(app.uri("/jobs/" + "A".repeat(500)), ALICE), 404, "not-found");
        assertProblem(http.get(app.uri("/jobs/AAAAAAAAAAAAAAAAAAAAAA/result"), ALICE), 404, "not-found");
        assertProblem(http.delete(app.uri("/jobs/AAAAAAAAAAAAAAAAAAAAAA"), ALICE), 404, "not-found");
        assertProblem(http.get(app.uri("/jobs/AAAAAAAAAAAAAAAAAAAAAA/other"), ALICE), 404, "not-found");
    }

    @Test
    void anotherOwnersJob_isNotFound_onEveryEndpoint() throws Exception {
        App app = app();
        URI monitor = app.submitted("echo", "{\"text\":\"mine\"}", ALICE);
        awaitStatus(monitor, ALICE, "succeeded");

        assertProblem(http.get(monitor, BOB), 404, "not-found");
        assertProblem(http.get(URI.create(monitor + "/result"), BOB), 404, "not-found");
        assertProblem(http.delete(monitor, BOB), 404, "not-found");
        assertProblem(http.get(monitor, null), 404, "not-found");
        assertThat(http.get(app.uri("/jobs"), BOB).json().path("jobs")).isEmpty();
        assertThat(http.get(monitor, ALICE).status())
                .as("still there for its owner")
                .isEqualTo(200);
    }

    // ---- list ---------------------------------------------------------------------------

    @Test
    void list_showsTheCallersJobs_newestFirst_filteredAndPaged() throws Exception {
        App app = app();
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(
                    0,
                    app.submit("echo", "{\"text\":\"" + i + "\"}", ALICE)
                            .json()
                            .path("jobId")
                            .asText());
            app.clock.advance(Duration.ofMillis(1));
        }
        app.submit("echo", "{\"text\":\"bob\"}", BOB);
        String gate = Gates.newGate();
        String gatedId =
                app.submit("gated", gateInput(gate), ALICE).json().path("jobId").asText();
        mine.add(0, gatedId);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.get(app.uri("/jobs?status=succeeded"), ALICE)
                                .json()
                                .path("jobs")
                                .size()
                        == 5);

        Reply first = http.get(app.uri("/jobs?limit=4"), ALICE);
        assertThat(first.status()).isEqualTo(200);
        assertMonitorHeaders(first);
        List<String> seen = new ArrayList<>();
        first.json().path("jobs").forEach(job -> seen.add(job.path("jobId").asText()));
        String next = first.json().path("next").asText();
        assertThat(next).startsWith(app.server.baseUri() + "/jobs?");
        assertThat(first.header("Link")).contains("<" + next + ">; rel=\"next\"");
        Reply second = http.get(URI.create(next), ALICE);
        second.json().path("jobs").forEach(job -> seen.add(job.path("jobId").asText()));
        assertThat(second.json().has("next")).isFalse();
        assertThat(seen).containsExactlyElementsOf(mine);

        Reply running = http.get(app.uri("/jobs?status=running,queued"), ALICE);
        assertThat(running.json().path("jobs")).hasSize(1);
        assertThat(running.json().path("jobs").get(0).path("jobId").asText()).isEqualTo(gatedId);
        Gates.open(gate);
    }

    @Test
    void list_byAnonymousCaller_isForbidden() throws Exception {
        App app = app();
        app.submit("echo", "{\"text\":\"anon\"}", null);
        assertProblem(http.get(app.uri("/jobs"), null), 403, "forbidden");
    }

    @Test
    void list_withBadParameters_returns400() throws Exception {
        App app = app();
        assertProblem(http.get(app.uri("/jobs?limit=0"), ALICE), 400, "invalid-request");
        assertProblem(http.get(app.uri("/jobs?limit=abc"), ALICE), 400, "invalid-request");
        assertProblem(http.get(app.uri("/jobs?limit=1000"), ALICE), 400, "invalid-request");
        assertProblem(http.get(app.uri("/jobs?status=done"), ALICE), 400, "invalid-request");
        assertProblem(http.get(app.uri("/jobs?cursor=bogus"), ALICE), 400, "invalid-request");
    }

    // ---- bad input ----------------------------------------------------------------------

    @Test
    void badInput_isRefusedWith400_beforeAnythingIsQueued() throws Exception {
        App app = app();
        String[][] cases = {
            {"{\"text\":", "malformed JSON"},
            {"{\"text\": \"ab", "malformed JSON"},
            {"{\"text\": 12}", "/text"},
            {"[1,2,3]", ""},
            {"{\"text\":[1]}", "/text"},
            {"{\"text\":\"ok\",\"extra\":1}", "extra"},
            {"{}", "text is required"},
            {"{\"text\":\"invalid\"}", "must not be"},
            {"null", ""},
            {"\"just a string\"", ""},
            {"{\"text\":\"a\"} trailing", ""},
            {"[".repeat(200) + "]".repeat(200), ""},
        };
        for (String[] c : cases) {
            Reply reply = app.submit("echo", c[0], ALICE);
            JsonNode problem = assertProblem(reply, 400, "invalid-input");
            assertThat(problem.path("detail").asText()).as(c[0]).contains(c[1]);
        }
        Reply empty = http.send("POST", app.uri("/api/echo"), ALICE, "application/json", new byte[0]);
        assertProblem(empty, 400, "invalid-input");
        assertThat(http.get(app.uri("/jobs"), ALICE).json().path("jobs"))
                .as("nothing was queued")
                .isEmpty();
    }

    @Test
    void wrongContentType_returns415() throws Exception {
        App app = app();
        byte[] body = "{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        Reply plain = http.send("POST", app.uri("/api/echo"), ALICE, "text/plain", body);
        assertProblem(plain, 415, "unsupported-media-type");
        assertThat(plain.header("Accept-Post")).contains("application/json");
        assertProblem(http.send("POST", app.uri("/api/echo"), ALICE, null, body), 415, "unsupported-media-type");
        assertProblem(
                http.send("POST", app.uri("/api/echo"), ALICE, "application/json; charset=iso-8859-1", body),
                415,
                "unsupported-media-type");
        Reply ok = http.send("POST", app.uri("/api/echo"), ALICE, "application/json; charset=UTF-8", body);
        assertThat(ok.status()).isEqualTo(202);
        assertThat(http.get(app.uri("/jobs"), ALICE).json().path("jobs")).hasSize(1);
    }

    @Test
    void oversizedBody_returns413() throws Exception {
        App app = app();
        String huge = "{\"text\":\"" + "x".repeat(ProtocolEngine.DEFAULT_MAX_BODY_BYTES) + "\"}";
        assertProblem(app.submit("echo", huge, ALICE), 413, "payload-too-large");
        assertThat(http.get(app.uri("/jobs"), ALICE).json().path("jobs")).isEmpty();
    }

    @Test
    void wrongMethod_returns405_withAllow() throws Exception {
        App app = app();
        Reply onRoute = http.get(app.uri("/api/echo"), ALICE);
        assertProblem(onRoute, 405, "method-not-allowed");
        assertThat(onRoute.header("Allow").orElseThrow()).contains("POST");

        URI monitor = app.submitted("echo", "{\"text\":\"x\"}", ALICE);
        Reply onMonitor = http.send("PUT", monitor, ALICE, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        assertProblem(onMonitor, 405, "method-not-allowed");
        assertThat(onMonitor.header("Allow").orElseThrow()).contains("GET", "DELETE");

        Reply onResult = http.delete(URI.create(monitor + "/result"), ALICE);
        assertProblem(onResult, 405, "method-not-allowed");
        assertThat(onResult.header("Allow").orElseThrow()).contains("GET").doesNotContain("DELETE");

        Reply onList = http.postJson(app.uri("/jobs"), ALICE, "{}");
        assertProblem(onList, 405, "method-not-allowed");
    }

    // ---- bounds -------------------------------------------------------------------------

    @Test
    void queueFull_returns503_withRetryAfter_andQueuesNothing() throws Exception {
        Config config = new Config();
        config.workers = 1;
        config.maxQueued = 2;
        App app = app(config);
        String gate = Gates.newGate();
        URI running = app.submitted("gated", gateInput(gate), ALICE);
        awaitStatus(running, ALICE, "running");
        app.submitted("echo", "{\"text\":\"1\"}", ALICE);
        app.submitted("echo", "{\"text\":\"2\"}", ALICE);

        Reply refused = app.submit("echo", "{\"text\":\"3\"}", ALICE);
        assertProblem(refused, 503, "queue-full");
        assertThat(Integer.parseInt(refused.header("Retry-After").orElseThrow()))
                .isPositive();
        assertThat(http.get(app.uri("/jobs"), ALICE).json().path("jobs")).hasSize(3);

        Gates.open(gate);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.get(app.uri("/jobs?status=succeeded"), ALICE)
                                .json()
                                .path("jobs")
                                .size()
                        == 3);
        assertThat(app.submit("echo", "{\"text\":\"4\"}", ALICE).status()).isEqualTo(202);
    }

    /** Issue 19, item 8: one owner's backlog refused every other owner too. */
    @Test
    void ownerQueueFull_returns429_withRetryAfter_forThatOwnerOnly() throws Exception {
        Config config = new Config();
        config.workers = 1;
        config.maxQueuedPerOwner = 1;
        App app = app(config);
        String gate = Gates.newGate();
        URI running = app.submitted("gated", gateInput(gate), ALICE);
        awaitStatus(running, ALICE, "running");
        app.submitted("echo", "{\"text\":\"1\"}", ALICE);

        Reply refused = app.submit("echo", "{\"text\":\"2\"}", ALICE);
        assertProblem(refused, 429, "owner-queue-full");
        assertThat(Integer.parseInt(refused.header("Retry-After").orElseThrow()))
                .isBetween(1, 60);
        assertThat(app.submit("echo", "{\"text\":\"3\"}", BOB).status()).isEqualTo(202);
        Gates.open(gate);
    }

    @Test
    void expiredJob_isGone_afterItsRetention() throws Exception {
        Config config = new Config();
        config.retention = Duration.ofMinutes(10);
        App app = app(config);
        URI monitor = app.submitted("echo", "{\"text\":\"x\"}", ALICE);
        awaitStatus(monitor, ALICE, "succeeded");

        app.clock.advance(Duration.ofMinutes(9));
        assertThat(http.get(monitor, ALICE).status()).isEqualTo(200);
        app.clock.advance(Duration.ofMinutes(2));
        assertProblem(http.get(monitor, ALICE), 404, "not-found");
        assertProblem(http.get(URI.create(monitor + "/result"), ALICE), 404, "not-found");
        assertThat(http.get(app.uri("/jobs"), ALICE).json().path("jobs")).isEmpty();
        assertThat(EngineInternals.of(app.accepted).purgeExpired()).isEqualTo(1);
    }

    @Test
    void close_refusesNewJobs_andEndsEveryAcceptedJob() throws Exception {
        Config config = new Config();
        config.workers = 1;
        config.shutdownTimeout = Duration.ofMillis(200);
        App app = app(config);
        String gate = Gates.newGate();
        URI stubborn = app.submitted("stubborn", gateInput(gate), ALICE);
        awaitStatus(stubborn, ALICE, "running");
        URI queued = app.submitted("echo", "{\"text\":\"late\"}", ALICE);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(app.accepted::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> !app.accepted.isAccepting());
        Reply refused = app.submit("echo", "{\"text\":\"x\"}", ALICE);
        assertProblem(refused, 503, "shutting-down");
        assertThat(refused.header("Retry-After")).isPresent();
        closing.get(30, TimeUnit.SECONDS);

        JsonNode stopped = http.get(stubborn, ALICE).json();
        assertThat(stopped.path("status").asText()).isEqualTo("failed");
        assertThat(stopped.path("error").path("type").asText()).isEqualTo("urn:accepted:problem:shutdown");
        JsonNode neverRan = http.get(queued, ALICE).json();
        assertThat(neverRan.path("status").asText()).isEqualTo("failed");
        assertThat(neverRan.path("error").path("detail").asText()).contains("before the job could start");
        Gates.open(gate);
    }

    // ---- clients that know only part of the contract ------------------------------------

    @Test
    void aPollerThatOnlyFollowsLocation_getsTheResult() throws Exception {
        App app = app();
        Reply reply = app.submit("echo", "{\"text\":\"follow me\"}", ALICE);
        int polls = 0;
        while (reply.status() == 202 && polls++ < 100) {
            Thread.sleep(
                    Math.min(1000, Long.parseLong(reply.header("Retry-After").orElse("1")) * 100));
            reply = http.get(URI.create(reply.header("Location").orElseThrow()), ALICE);
        }
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("result").path("echo").asText()).isEqualTo("follow me");
    }

    @Test
    void aPollerThatReadsStatusAtOperationLocation_getsTheResult() throws Exception {
        App app = app();
        Reply submitted = app.submit("echo", "{\"text\":\"azure style\"}", ALICE);
        URI operation = URI.create(submitted.header("Operation-Location").orElseThrow());
        JsonNode body = submitted.json();
        int polls = 0;
        while (!Set.of("succeeded", "failed", "canceled")
                        .contains(body.path("status").asText().toLowerCase(java.util.Locale.ROOT))
                && polls++ < 100) {
            Thread.sleep(50);
            body = http.get(operation, ALICE).json();
        }
        assertThat(body.path("status").asText()).isEqualToIgnoringCase("Succeeded");
        assertThat(body.path("result").path("echo").asText()).isEqualTo("azure style");
    }
}
