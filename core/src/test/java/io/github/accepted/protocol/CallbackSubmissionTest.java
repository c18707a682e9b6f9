package io.github.accepted.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accepted.Accepted;
import io.github.accepted.Callbacks;
import io.github.accepted.JobStatus;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Subscribing to callbacks at submission (issue 16, items 1 and 3): headers read before anything
 * is queued, every refusal a 400 problem, and the monitor showing each callback's state.
 */
class CallbackSubmissionTest {

    record Text(String text) {}

    private static final String SECRET = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM=";

    private final Accepted accepted = Accepted.builder()
            .handler("t", Text.class, (in, ctx) -> in)
            .callbacks(Callbacks.builder()
                    .secret(SECRET)
                    .maxPerJob(2)
                    .maxUrlLength(100)
                    .resolver(host -> switch (host) {
                        case "hooks.example" -> List.of(InetAddress.getLoopbackAddress()); // allow-listed below
                        case "intranet.example" -> List.of(InetAddress.getByName("10.0.0.8"));
                        default -> {
                            if (!host.matches("[0-9.]+")) {
                                throw new java.net.UnknownHostException(host); // no DNS here
                            }
                            yield List.of(InetAddress.getByName(host));
                        }
                    })
                    .allow("127.0.0.1")
                    .retries(Duration.ofSeconds(30), Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20))
                    .build())
            .build();
    private final ProtocolEngine engine =
            ProtocolEngine.builder(accepted).route("POST", "/api/t", "t").build();

    @AfterEach
    void close() {
        accepted.close();
    }

    private AcceptedResponse submit(Map<String, List<String>> extra) {
        Map<String, List<String>> headers = new HashMap<>(extra);
        headers.put("Content-Type", List.of("application/json"));
        return send("POST", "/api/t", headers, "{\"text\":\"x\"}");
    }

    private AcceptedResponse send(String method, String path, Map<String, List<String>> headers, String body) {
        return engine.handle(new ProtocolRequest(
                method,
                path,
                "",
                headers,
                "alice",
                "http://example.test",
                "",
                "192.0.2.1",
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));
    }

    private void assertRefused(AcceptedResponse reply, String detail) {
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).contains("application/problem+json");
        assertThat(reply.bodyText())
                .contains("urn:accepted:problem:invalid-callback")
                .contains(detail);
        assertThat(accepted.list("alice", Set.of(), 10).jobs())
                .as("nothing queued")
                .isEmpty();
    }

    @Test
    void aMalformedUrl_isA400Problem() {
        assertRefused(submit(Map.of("Callback-URL", List.of("http://exa mple/x"))), "not a valid URL");
        assertRefused(submit(Map.of("Callback-URL", List.of("ftp://hooks.example/x"))), "http or https");
        assertRefused(submit(Map.of("Callback-URL", List.of("https://hooks.example/a,"))), "empty entry");
    }

    @Test
    void anOverLongUrl_isA400Problem() {
        assertRefused(
                submit(Map.of("Callback-URL", List.of("https://hooks.example/" + "x".repeat(100)))), "longer than 100");
    }

    @Test
    void tooManyCallbacks_isA400Problem() {
        assertRefused(
                submit(Map.of(
                        "Callback-URL",
                        List.of("https://hooks.example/1, https://hooks.example/2", "https://hooks.example/3"))),
                "At most 2 callbacks");
    }

    @Test
    void aPrivateOrUnknownHost_isA400Problem_atSubmission() {
        assertRefused(submit(Map.of("Callback-URL", List.of("https://intranet.example/hook"))), "may not reach");
        assertRefused(submit(Map.of("Callback-URL", List.of("http://169.254.169.254/latest"))), "may not reach");
        assertRefused(submit(Map.of("Callback-URL", List.of("https://unknown.example/hook"))), "could not be resolved");
    }

    @Test
    void unknownEvents_areA400Problem() {
        assertRefused(
                submit(Map.of(
                        "Callback-URL",
                        List.of("https://hooks.example/1"),
                        "Callback-Events",
                        List.of("succeeded, running"))),
                "succeeded, failed and canceled");
        assertRefused(submit(Map.of("Callback-Events", List.of("failed"))), "needs a Callback-URL");
    }

    @Test
    void callbacksOnAServerWithoutThem_areA400Problem() {
        Accepted plain =
                Accepted.builder().handler("t", Text.class, (in, ctx) -> in).build();
        try {
            AcceptedResponse reply = ProtocolEngine.builder(plain)
                    .route("POST", "/api/t", "t")
                    .build()
                    .handle(new ProtocolRequest(
                            "POST",
                            "/api/t",
                            "",
                            Map.of(
                                    "Content-Type",
                                    List.of("application/json"),
                                    "Callback-URL",
                                    List.of("https://hooks.example/1")),
                            "alice",
                            "http://example.test",
                            "",
                            "192.0.2.1",
                            new ByteArrayInputStream("{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8))));
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.bodyText()).contains("invalid-callback").contains("does not send callbacks");
        } finally {
            plain.close();
        }
    }

    @Test
    void aRepeatedIdempotencyKey_keepsTheFirstSubmissionsCallbacks() throws Exception {
        AcceptedResponse first = submit(
                Map.of("Idempotency-Key", List.of("\"k1\""), "Callback-URL", List.of("http://hooks.example:9/first")));
        AcceptedResponse again = submit(
                Map.of("Idempotency-Key", List.of("\"k1\""), "Callback-URL", List.of("http://hooks.example:9/second")));
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        String monitor = first.header("Location").orElseThrow().replace("http://example.test", "");
        JsonNode callbacks = new ObjectMapper()
                .readTree(send("GET", monitor, Map.of(), "").bodyText())
                .get("callbacks");
        assertThat(callbacks).hasSize(1);
        assertThat(callbacks.get(0).get("url").asText()).isEqualTo("http://hooks.example:9/first");
    }

    @Test
    void theMonitor_showsEachCallbacksDeliveryState_andItsTagChangesWithIt() throws Exception {
        // hooks.example resolves to 127.0.0.1, where nothing listens on port 9: attempts fail
        AcceptedResponse submitted = submit(Map.of(
                "Callback-URL", List.of("http://hooks.example:9/done"), "Callback-Events", List.of("succeeded")));
        assertThat(submitted.status()).isIn(200, 202);
        String monitor = submitted.header("Location").orElseThrow().replace("http://example.test", "");
        JsonNode callbacks = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> new ObjectMapper()
                                .readTree(send("GET", monitor, Map.of(), "").bodyText())
                                .get("callbacks"),
                        node -> node != null && node.get(0).has("lastError"));
        JsonNode first = callbacks.get(0);
        assertThat(first.get("url").asText()).isEqualTo("http://hooks.example:9/done");
        assertThat(first.get("events").toString()).isEqualTo("[\"succeeded\"]");
        assertThat(first.get("state").asText()).isEqualTo("pending");
        assertThat(first.get("lastError").asText()).isNotEmpty();
        assertThat(first.has("nextAttemptAt")).isTrue();
        assertThat(accepted.find(
                                io.github.accepted.JobId.parse(monitor.substring(monitor.lastIndexOf('/') + 1))
                                        .orElseThrow(),
                                "alice")
                        .orElseThrow()
                        .status())
                .isEqualTo(JobStatus.SUCCEEDED);
        String tag = send("GET", monitor, Map.of(), "").header("ETag").orElseThrow();
        assertThat(tag).contains("-c");
        assertThat(send("GET", monitor, Map.of("If-None-Match", List.of(tag)), "")
                        .status())
                .isEqualTo(304);
        assertThat(send("DELETE", monitor, Map.of("If-Match", List.of(tag)), "").status())
                .as("the tag with the delivery state is the finished job's tag for If-Match too")
                .isEqualTo(204);
    }
}
