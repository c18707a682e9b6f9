package io.github.accepted.client;

import static io.github.accepted.client.ScriptedServer.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 5: headers configured on the client (credentials such as {@code Authorization})
 * went to whatever host a {@code Location}, {@code Operation-Location}, {@code resultUrl} or
 * redirect named. They now go only to the job's own origin, and to origins the user trusts.
 * {@code elsewhere} is another origin: the same host on another port.
 */
class CrossOriginCredentialsTest {

    private static final String JSON = "application/json";
    private static final String TOKEN = "Bearer s3cret";
    private static final String WITH_TOKEN = " Authorization=" + TOKEN;

    private final ScriptedServer api;
    private final ScriptedServer elsewhere;
    private final AcceptedClient client = authorized().build();

    CrossOriginCredentialsTest() throws Exception {
        api = new ScriptedServer();
        elsewhere = new ScriptedServer();
    }

    @AfterEach
    void stop() {
        api.close();
        elsewhere.close();
    }

    private static AcceptedClient.Builder authorized() {
        return AcceptedClient.builder()
                .header("Authorization", TOKEN)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(40))
                .requestTimeout(Duration.ofSeconds(5))
                .longPollWait(Duration.ZERO);
    }

    private static void succeeded(com.sun.net.httpserver.HttpExchange exchange) {
        reply(exchange, 200, JSON, "{\"status\":\"succeeded\",\"result\":42}");
    }

    @Test
    void operationLocation_onAnotherOrigin_isPolledWithoutTheHeaders() {
        api.on(
                "/submit",
                (exchange, call) -> reply(
                        exchange,
                        202,
                        null,
                        "",
                        "Operation-Location",
                        elsewhere.uri("/operations/1").toString()));
        elsewhere.on("/operations/1", (exchange, call) -> succeeded(exchange));

        assertThat(client.submit(api.uri("/submit"), Map.of())
                        .awaitResult(Duration.ofSeconds(20))
                        .text())
                .isEqualTo("42");
        assertThat(api.requests).containsExactly("POST /submit" + WITH_TOKEN);
        assertThat(elsewhere.requests).containsExactly("GET /operations/1");
    }

    @Test
    void location_onAnotherOrigin_isPolledWithoutTheHeaders() {
        api.on(
                "/submit",
                (exchange, call) -> reply(
                        exchange,
                        202,
                        null,
                        "",
                        "Location",
                        elsewhere.uri("/status").toString()));
        elsewhere.on("/status", (exchange, call) -> {
            if (call == 0) {
                reply(exchange, 202, null, "", "Location", "/status", "Retry-After", "0");
            } else {
                reply(exchange, 200, "text/plain", "done");
            }
        });

        assertThat(client.submit(api.uri("/submit"), Map.of())
                        .awaitResult(Duration.ofSeconds(20))
                        .text())
                .isEqualTo("done");
        assertThat(elsewhere.requests).containsExactly("GET /status", "GET /status");
    }

    @Test
    void aMonitorMovingToAnotherOrigin_isFollowedWithoutTheHeaders() {
        api.on("/submit", (exchange, call) -> reply(exchange, 202, null, "", "Location", "/status"))
                .on(
                        "/status",
                        (exchange, call) -> reply(
                                exchange,
                                202,
                                null,
                                "",
                                "Location",
                                elsewhere.uri("/status").toString(),
                                "Retry-After",
                                "0"));
        elsewhere.on("/status", (exchange, call) -> succeeded(exchange));

        client.submit(api.uri("/submit"), Map.of()).awaitResult(Duration.ofSeconds(20));
        assertThat(api.requests).containsExactly("POST /submit" + WITH_TOKEN, "GET /status" + WITH_TOKEN);
        assertThat(elsewhere.requests).containsExactly("GET /status");
    }

    @Test
    void resultUrl_onAnotherOrigin_isFetchedWithoutTheHeaders() {
        api.on("/submit", (exchange, call) -> reply(exchange, 202, null, "", "Location", "/status"))
                .on(
                        "/status",
                        (exchange, call) -> reply(
                                exchange,
                                200,
                                JSON,
                                "{\"status\":\"succeeded\",\"resultUrl\":\"" + elsewhere.uri("/results/1") + "\"}"));
        elsewhere.on("/results/1", (exchange, call) -> reply(exchange, 200, "application/pdf", "%PDF-1.4 tiny"));

        assertThat(client.submit(api.uri("/submit"), Map.of())
                        .awaitResult(Duration.ofSeconds(20))
                        .mediaType())
                .isEqualTo("application/pdf");
        assertThat(api.requests).containsExactly("POST /submit" + WITH_TOKEN, "GET /status" + WITH_TOKEN);
        assertThat(elsewhere.requests).containsExactly("GET /results/1");
    }

    @Test
    void seeOther_toAnotherOrigin_isFollowedWithoutTheHeaders() {
        // the usual case: a pre-signed storage URL, which refuses a request that also carries Authorization
        api.on("/submit", (exchange, call) -> reply(exchange, 202, null, "", "Location", "/status"))
                .on(
                        "/status",
                        (exchange, call) -> reply(
                                exchange,
                                303,
                                null,
                                "",
                                "Location",
                                elsewhere.uri("/bucket/report.pdf").toString()));
        elsewhere.on("/bucket/report.pdf", (exchange, call) -> reply(exchange, 200, "application/pdf", "%PDF"));

        client.submit(api.uri("/submit"), Map.of()).awaitResult(Duration.ofSeconds(20));
        assertThat(elsewhere.requests).containsExactly("GET /bucket/report.pdf");
    }

    @Test
    void cancel_ofAMonitorOnAnotherOrigin_isSentWithoutTheHeaders() {
        api.on(
                "/submit",
                (exchange, call) -> reply(
                        exchange,
                        202,
                        null,
                        "",
                        "Operation-Location",
                        elsewhere.uri("/operations/1").toString()));
        elsewhere.on("/operations/1", (exchange, call) -> reply(exchange, 204, null, ""));

        client.submit(api.uri("/submit"), Map.of()).cancel();
        assertThat(elsewhere.requests).containsExactly("DELETE /operations/1");
    }

    @Test
    void theJobsOwnOrigin_getsTheHeaders_onEveryRequest_howeverItIsSpelled() {
        URI upperCaseScheme = URI.create(api.uri("/status/2").toString().replaceFirst("^http:", "HTTP:"));
        api.on("/submit", (exchange, call) -> reply(exchange, 202, null, "", "Location", "status/1"))
                .on(
                        "/status/1",
                        (exchange, call) -> reply(
                                exchange, 202, null, "", "Location", upperCaseScheme.toString(), "Retry-After", "0"))
                .on("/status/2", (exchange, call) -> {
                    if (exchange.getRequestMethod().equals("DELETE")) {
                        reply(exchange, 204, null, "");
                    } else {
                        reply(
                                exchange,
                                303,
                                null,
                                "",
                                "Location",
                                api.uri("/result").toString());
                    }
                })
                .on("/result", (exchange, call) -> reply(exchange, 200, "text/plain", "ok"));

        JobHandle job = client.submit(api.uri("/submit"), Map.of());
        assertThat(job.awaitResult(Duration.ofSeconds(20)).text()).isEqualTo("ok");
        client.attach(upperCaseScheme).cancel();
        assertThat(api.requests)
                .containsExactly(
                        "POST /submit" + WITH_TOKEN,
                        "GET /status/1" + WITH_TOKEN,
                        "GET /status/2" + WITH_TOKEN,
                        "GET /result" + WITH_TOKEN,
                        "DELETE /status/2" + WITH_TOKEN);
    }

    @Test
    void aTrustedOrigin_getsTheHeaders_andOthersStillDoNot() throws Exception {
        try (ScriptedServer third = new ScriptedServer()) {
            AcceptedClient trusting =
                    authorized().trustOrigin(elsewhere.uri("")).build();
            api.on(
                    "/submit",
                    (exchange, call) -> reply(
                            exchange,
                            202,
                            null,
                            "",
                            "Operation-Location",
                            elsewhere.uri("/operations/1").toString()));
            elsewhere.on(
                    "/operations/1",
                    (exchange, call) -> reply(
                            exchange,
                            200,
                            JSON,
                            "{\"status\":\"succeeded\",\"resultUrl\":\"" + third.uri("/results/1") + "\"}"));
            third.on("/results/1", (exchange, call) -> reply(exchange, 200, "text/plain", "done"));

            assertThat(trusting.submit(api.uri("/submit"), Map.of())
                            .awaitResult(Duration.ofSeconds(20))
                            .text())
                    .isEqualTo("done");
            assertThat(elsewhere.requests).containsExactly("GET /operations/1" + WITH_TOKEN);
            assertThat(third.requests).containsExactly("GET /results/1");
        }
    }

    @Test
    void trustOrigin_takesABareHttpOrigin_once() {
        assertThatThrownBy(() -> AcceptedClient.builder().trustOrigin(URI.create("https://a.example/api")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without path");
        for (String notAnOrigin : List.of(
                "https://a.example?x=1",
                "https://a.example#top",
                "https://me@a.example",
                "ftp://a.example",
                "//a.example",
                "/status",
                "mailto:ops@a.example")) {
            assertThatThrownBy(() -> AcceptedClient.builder().trustOrigin(URI.create(notAnOrigin)))
                    .as(notAnOrigin)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        AcceptedClient.Builder builder = AcceptedClient.builder().trustOrigin(URI.create("https://A.example/"));
        assertThatThrownBy(() -> builder.trustOrigin(URI.create("HTTPS://a.example:443")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("trusted already");
        builder.trustOrigin(URI.create("http://a.example")).trustOrigin(URI.create("https://a.example:8443"));
    }

    @Test
    void attach_refusesWhatIsNotAnHttpUrl() {
        assertThatThrownBy(() -> client.attach(URI.create("/jobs/1"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.attach(URI.create("file:///etc/passwd")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void attach_makesTheMonitorsOriginTheJobsOwn() {
        elsewhere.on("/operations/1", (exchange, call) -> succeeded(exchange));

        client.attach(elsewhere.uri("/operations/1")).awaitResult(Duration.ofSeconds(20));
        assertThat(elsewhere.requests).containsExactly("GET /operations/1" + WITH_TOKEN);
    }

    @Test
    void aRequestYouBuilt_sendsItsOwnHeadersWithItselfAlone() {
        api.on("/submit", (exchange, call) -> reply(exchange, 202, null, "", "Location", "/status"))
                .on(
                        "/status",
                        (exchange, call) -> reply(
                                exchange,
                                202,
                                null,
                                "",
                                "Location",
                                elsewhere.uri("/status").toString(),
                                "Retry-After",
                                "0"));
        elsewhere.on("/status", (exchange, call) -> succeeded(exchange));

        client.submit(HttpRequest.newBuilder(api.uri("/submit"))
                        .header("Authorization", "Bearer one-off")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build())
                .awaitResult(Duration.ofSeconds(20));
        assertThat(api.requests)
                .containsExactly("POST /submit Authorization=Bearer one-off", "GET /status" + WITH_TOKEN);
        assertThat(elsewhere.requests).containsExactly("GET /status");
    }
}
