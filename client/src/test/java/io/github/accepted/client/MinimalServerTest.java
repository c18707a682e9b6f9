package io.github.accepted.client;

import static io.github.accepted.client.ScriptedServer.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against servers that speak only part of the pattern, and against broken ones. */
class MinimalServerTest {

    private static final String JSON = "application/json";
    private final ScriptedServer server;
    private final AcceptedClient client = AcceptedClient.builder()
            .backoff(Duration.ofMillis(10), Duration.ofMillis(40))
            .requestTimeout(Duration.ofSeconds(5))
            .longPollWait(Duration.ZERO)
            .build();

    MinimalServerTest() throws Exception {
        server = new ScriptedServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ScriptedServer acceptingAt(String statusPath) {
        return server.on("/submit", (exchange, call) -> reply(exchange, 202, null, "", "Location", statusPath));
    }

    @Test
    void onlyLocationAnd202_isFollowedToTheResult_withBackoffInsteadOfRetryAfter() {
        acceptingAt("/status").on("/status", (exchange, call) -> {
            if (call < 3) {
                reply(exchange, 202, null, "", "Location", "/status");
            } else {
                reply(exchange, 200, "text/csv", "region,total\nnorth,42\n");
            }
        });
        JobResult result =
                client.submit(server.uri("/submit"), Map.of("report_type", "x")).awaitResult(Duration.ofSeconds(20));
        assertThat(result.mediaType()).isEqualTo("text/csv");
        assertThat(result.text()).isEqualTo("region,total\nnorth,42\n");
        assertThat(server.requests)
                .containsExactly("POST /submit", "GET /status", "GET /status", "GET /status", "GET /status");
    }

    @Test
    void relativeLocations_andMovingMonitors_areFollowed() {
        acceptingAt("status/1")
                .on("/status/1", (exchange, call) -> reply(exchange, 202, null, "", "Location", "/status/2"))
                .on("/status/2", (exchange, call) -> reply(exchange, 200, JSON, "{\"answer\":42}"));
        JobHandle job = client.submit(server.uri("/submit"), Map.of());
        assertThat(job.statusUrl()).isEqualTo(server.uri("/status/1"));
        assertThat(job.await(Duration.ofSeconds(20), Map.class)).isEqualTo(Map.of("answer", 42));
    }

    @Test
    void azureStyleMonitor_at_OperationLocation_with200WhileRunning() {
        server.on(
                        "/submit",
                        (exchange, call) -> reply(
                                exchange,
                                202,
                                null,
                                "",
                                "Operation-Location",
                                "/operations/7",
                                "Location",
                                "/somewhere-else"))
                .on("/operations/7", (exchange, call) -> {
                    if (call < 2) {
                        reply(
                                exchange,
                                200,
                                JSON,
                                "{\"status\":\"Running\",\"percentComplete\":10}",
                                "Retry-After",
                                "0");
                    } else {
                        reply(exchange, 200, JSON, "{\"status\":\"Succeeded\",\"result\":{\"id\":\"abc\"}}");
                    }
                });
        List<JobProgress> seen = new CopyOnWriteArrayList<>();
        JobResult result = client.submit(server.uri("/submit"), Map.of())
                .onProgress(seen::add)
                .awaitResult(Duration.ofSeconds(20));
        assertThat(result.as(Map.class)).isEqualTo(Map.of("id", "abc"));
        assertThat(seen).extracting(JobProgress::status).containsExactly("running", "succeeded");
        assertThat(server.requests).doesNotContain("GET /somewhere-else");
    }

    @Test
    void seeOther_isFollowedToTheResult() {
        acceptingAt("/status")
                .on("/status", (exchange, call) -> reply(exchange, 303, null, "", "Location", "/result"))
                .on("/result", (exchange, call) -> reply(exchange, 200, "application/pdf", "%PDF-1.4 tiny"));
        JobResult result = client.submit(server.uri("/submit"), Map.of()).awaitResult(Duration.ofSeconds(20));
        assertThat(result.mediaType()).isEqualTo("application/pdf");
        assertThat(result.text()).isEqualTo("%PDF-1.4 tiny");
    }

    @Test
    void eTags_areSentBack_andA304MeansNotYet() {
        acceptingAt("/status").on("/status", (exchange, call) -> {
            String tag = exchange.getRequestHeaders().getFirst("If-None-Match");
            if (call == 0) {
                reply(exchange, 202, JSON, "{\"status\":\"running\"}", "ETag", "\"v1\"", "Retry-After", "0");
            } else if (call < 3 && "\"v1\"".equals(tag)) {
                reply(exchange, 304, null, "", "ETag", "\"v1\"", "Retry-After", "0");
            } else {
                reply(exchange, 200, JSON, "{\"status\":\"succeeded\",\"result\":7}", "ETag", "\"v2\"");
            }
        });
        JobResult result = client.submit(server.uri("/submit"), Map.of()).awaitResult(Duration.ofSeconds(20));
        assertThat(result.text()).isEqualTo("7");
        assertThat(server.requests)
                .containsExactly(
                        "POST /submit",
                        "GET /status",
                        "GET /status If-None-Match=\"v1\"",
                        "GET /status If-None-Match=\"v1\"",
                        "GET /status If-None-Match=\"v1\"");
    }

    @Test
    void retryAfter_asAnHttpDate_isHonoured() {
        acceptingAt("/status").on("/status", (exchange, call) -> {
            if (call == 0) {
                String soon = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(1));
                reply(exchange, 202, null, "", "Retry-After", soon);
            } else {
                reply(exchange, 200, "text/plain", "done");
            }
        });
        assertThat(client.submit(server.uri("/submit"), Map.of())
                        .awaitResult(Duration.ofSeconds(20))
                        .text())
                .isEqualTo("done");
        assertThat(RetryAfter.parse(
                        java.util.Optional.of("Wed, 21 Oct 2015 07:28:00 GMT"), java.time.Clock.systemUTC()))
                .contains(Duration.ZERO);
        assertThat(RetryAfter.parse(java.util.Optional.of("120"), java.time.Clock.systemUTC()))
                .contains(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse(java.util.Optional.of("soon"), java.time.Clock.systemUTC()))
                .isEmpty();
    }

    @Test
    void failedJob_becomesJobFailedException_withTheProblem() {
        acceptingAt("/status")
                .on(
                        "/status",
                        (exchange, call) -> reply(
                                exchange,
                                200,
                                JSON,
                                "{\"status\":\"failed\",\"error\":{\"type\":\"urn:x:offline\",\"title\":\"Job failed\",\"status\":422,"
                                        + "\"detail\":\"the source is offline\"}}"));
        JobHandle job = client.submit(server.uri("/submit"), Map.of());
        assertThatThrownBy(() -> job.awaitResult(Duration.ofSeconds(20)))
                .isInstanceOfSatisfying(RemoteJobFailedException.class, e -> {
                    assertThat(e.problem()).hasValueSatisfying(p -> {
                        assertThat(p.type()).isEqualTo("urn:x:offline");
                        assertThat(p.detail()).isEqualTo("the source is offline");
                        assertThat(p.status()).isEqualTo(422);
                    });
                    assertThat(e.statusUrl()).isEqualTo(server.uri("/status"));
                });
    }

    @Test
    void canceledJob_becomesJobCanceledException() {
        acceptingAt("/status")
                .on("/status", (exchange, call) -> reply(exchange, 200, JSON, "{\"status\":\"Cancelled\"}"));
        assertThatThrownBy(() -> client.submit(server.uri("/submit"), Map.of()).awaitResult(Duration.ofSeconds(20)))
                .isInstanceOf(RemoteJobCanceledException.class);
    }

    @Test
    void unknownJob_becomesJobNotFoundException() {
        acceptingAt("/status")
                .on(
                        "/status",
                        (exchange, call) -> reply(
                                exchange,
                                404,
                                "application/problem+json",
                                "{\"type\":\"urn:accepted:problem:not-found\",\"title\":\"Not found\",\"status\":404}"));
        assertThatThrownBy(() -> client.submit(server.uri("/submit"), Map.of()).awaitResult(Duration.ofSeconds(20)))
                .isInstanceOfSatisfying(
                        RemoteJobNotFoundException.class,
                        e -> assertThat(e.problem().orElseThrow().type()).isEqualTo("urn:accepted:problem:not-found"));
    }

    @Test
    void busyServer_onSubmit_isServerBusyException_withWhenToRetry() {
        server.on(
                "/submit",
                (exchange, call) -> reply(
                        exchange,
                        503,
                        "application/problem+json",
                        "{\"type\":\"urn:accepted:problem:queue-full\",\"title\":\"Service unavailable\",\"status\":503}",
                        "Retry-After",
                        "7"));
        assertThatThrownBy(() -> client.submit(server.uri("/submit"), Map.of()))
                .isInstanceOfSatisfying(ServerBusyException.class, e -> {
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
                    assertThat(e.problem().orElseThrow().type()).isEqualTo("urn:accepted:problem:queue-full");
                });
        assertThat(server.requests).as("a submit is never retried").containsExactly("POST /submit");
    }

    @Test
    void busyServer_whilePolling_isWaitedOut() {
        acceptingAt("/status").on("/status", (exchange, call) -> {
            if (call == 0) {
                reply(exchange, 503, null, "", "Retry-After", "0");
            } else {
                reply(exchange, 200, "text/plain", "ok");
            }
        });
        assertThat(client.submit(server.uri("/submit"), Map.of())
                        .awaitResult(Duration.ofSeconds(20))
                        .text())
                .isEqualTo("ok");
    }

    @Test
    void rejectedSubmission_isRequestRejectedException_withTheProblem() {
        server.on(
                "/submit",
                (exchange, call) -> reply(
                        exchange,
                        400,
                        "application/problem+json",
                        "{\"type\":\"urn:accepted:problem:invalid-input\",\"title\":\"Invalid input\",\"status\":400,"
                                + "\"detail\":\"unknown field\"}"));
        assertThatThrownBy(() -> client.submit(server.uri("/submit"), Map.of()))
                .isInstanceOfSatisfying(RequestRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.problem().orElseThrow().detail()).isEqualTo("unknown field");
                });
    }

    @Test
    void transientServerErrors_areRetried_aBoundedNumberOfTimes() {
        acceptingAt("/flaky").on("/flaky", (exchange, call) -> {
            if (call < 2) {
                reply(exchange, 502, null, "");
            } else {
                reply(exchange, 200, "text/plain", "recovered");
            }
        });
        assertThat(client.submit(server.uri("/submit"), Map.of())
                        .awaitResult(Duration.ofSeconds(20))
                        .text())
                .isEqualTo("recovered");

        server.on("/broken", (exchange, call) -> reply(exchange, 500, null, ""));
        JobHandle broken = client.attach(server.uri("/broken"));
        assertThatThrownBy(() -> broken.awaitResult(Duration.ofSeconds(20))).isInstanceOf(TransportException.class);
        assertThat(server.requests.stream().filter(r -> r.equals("GET /broken")).count())
                .as("the first try and 3 retries")
                .isEqualTo(4);
    }

    /**
     * Issue 18 item 1: this once failed with a root cause {@code IOException}. What the client
     * promises is a {@code TransportException} caused by the request's {@code HttpTimeoutException};
     * below that the JDK's chain varies. When a request timer fires, the JDK (17) HttpClient
     * cancels the exchange and closes its connection; if the HTTP/1.1 reader fails on that close
     * first ("connection closed locally", "header parser received no bytes"), the JDK reports a
     * new {@code HttpTimeoutException} with that failure as its cause; otherwise the timeout has
     * no cause. In a loop of 300 runs, 20 took the first way.
     *
     * <p>Run alone in a fresh JVM, it also failed in 18 of 20 runs in the submit: the impatient
     * client's 200 ms covered its first request, which a cold JVM does not make in time. The job
     * is now submitted by the patient client, and only followed by the impatient one.
     */
    @Test
    @Timeout(60)
    void stalledServer_endsInAnException_notAHang() {
        AcceptedClient impatient = AcceptedClient.builder()
                .requestTimeout(Duration.ofMillis(200))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
                .longPollWait(Duration.ZERO)
                .maxRetries(1)
                .build();
        acceptingAt("/stall").on("/stall", (exchange, call) -> {
            try {
                TimeUnit.SECONDS.sleep(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        JobHandle job =
                impatient.attach(client.submit(server.uri("/submit"), Map.of()).statusUrl());
        assertThatThrownBy(() -> job.awaitResult(Duration.ofSeconds(20)))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("2 times in a row")
                .hasCauseInstanceOf(java.net.http.HttpTimeoutException.class);
    }

    @Test
    void awaitTimeout_leavesTheJobFollowable() {
        acceptingAt("/slow").on("/slow", (exchange, call) -> {
            if (call < 4) {
                reply(exchange, 202, null, "", "Retry-After", "1");
            } else {
                reply(exchange, 200, "text/plain", "eventually");
            }
        });
        JobHandle job = client.submit(server.uri("/submit"), Map.of());
        assertThatThrownBy(() -> job.awaitResult(Duration.ofMillis(300))).isInstanceOf(AwaitTimeoutException.class);
        assertThat(job.awaitResult(Duration.ofSeconds(20)).text()).isEqualTo("eventually");
    }

    @Test
    void malformedBodies_areMalformedResponseException() {
        acceptingAt("/garbled").on("/garbled", (exchange, call) -> reply(exchange, 200, JSON, "{\"status\": \"succ"));
        assertThatThrownBy(() -> client.submit(server.uri("/submit"), Map.of()).awaitResult(Duration.ofSeconds(20)))
                .isInstanceOf(MalformedResponseException.class);

        server.on("/nowhere", (exchange, call) -> reply(exchange, 202, JSON, "{}"));
        assertThatThrownBy(() -> client.submit(server.uri("/nowhere"), Map.of()))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("Location");
    }

    @Test
    void resultAsync_completesWithoutBlockingTheCaller() throws Exception {
        acceptingAt("/status").on("/status", (exchange, call) -> {
            if (call < 2) {
                reply(exchange, 202, null, "");
            } else {
                reply(exchange, 200, JSON, "{\"n\":1}");
            }
        });
        var future = client.submit(server.uri("/submit"), Map.of()).resultAsync(Duration.ofSeconds(20));
        assertThat(future.get(20, TimeUnit.SECONDS).as(Map.class)).isEqualTo(Map.of("n", 1));
    }

    @Test
    void longPolling_sendsPreferWait() {
        AcceptedClient longPoller =
                AcceptedClient.builder().longPollWait(Duration.ofSeconds(5)).build();
        acceptingAt("/status").on("/status", (exchange, call) -> reply(exchange, 200, "text/plain", "x"));
        longPoller.submit(server.uri("/submit"), Map.of()).awaitResult(Duration.ofSeconds(20));
        assertThat(server.requests.get(1)).isEqualTo("GET /status Prefer=wait=5");
    }
}
