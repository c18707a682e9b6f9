package io.github.accepted.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.accepted.Accepted;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the protocol engine decides that a container never lets through to it, and its own
 * configuration. The contract itself is tested over real HTTP by the conformance suite.
 */
class ProtocolEngineTest {

    record Text(String text) {}

    private final Accepted accepted =
            Accepted.builder().handler("t", Text.class, (in, ctx) -> in).build();
    private final ProtocolEngine engine =
            ProtocolEngine.builder(accepted).route("POST", "/api/t", "t").build();

    @AfterEach
    void close() {
        accepted.close();
    }

    private AcceptedResponse send(String method, String path, Map<String, List<String>> headers, String body) {
        return engine.handle(new ProtocolRequest(
                method,
                path,
                "",
                headers,
                "alice",
                "http://example.test",
                "/app/",
                "192.0.2.1",
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void unknownPath_isANotFoundProblem() {
        AcceptedResponse reply = send("GET", "/elsewhere", Map.of(), "");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("content-type")).contains("application/problem+json");
    }

    @Test
    void options_listsTheAllowedMethods() {
        AcceptedResponse reply = send("OPTIONS", "/api/t", Map.of(), "");
        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.header("Allow")).contains("POST, OPTIONS");
        assertThat(send("OPTIONS", "/jobs/AAAAAAAAAAAAAAAAAAAAAA", Map.of(), "").header("Allow"))
                .contains("GET, HEAD, DELETE, OPTIONS");
    }

    @Test
    void malformedContentLength_isABadRequest() {
        AcceptedResponse reply = send(
                "POST",
                "/api/t",
                Map.of("Content-Type", List.of("application/json"), "Content-Length", List.of("lots")),
                "{}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.bodyText()).contains("urn:accepted:problem:invalid-request");
    }

    @Test
    void declaredLengthOverTheLimit_isRefusedWithoutReadingTheBody() {
        AcceptedResponse reply = send(
                "POST",
                "/api/t",
                Map.of(
                        "Content-Type",
                        List.of("application/json"),
                        "Content-Length",
                        List.of(Long.toString(Long.MAX_VALUE))),
                "");
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.bodyText()).contains("urn:accepted:problem:payload-too-large");
    }

    /** Regression (issue 19): methods were upper-cased, so {@code delete} removed a job a container rule kept from DELETE. */
    @Test
    void methodsAreCaseSensitive_soALowerCaseDeleteIsNotADelete() {
        AcceptedResponse submitted =
                send("POST", "/api/t", Map.of("Content-Type", List.of("application/json")), "{\"text\":\"x\"}");
        String job = submitted.header("Location").orElseThrow().replaceFirst("^.*/app", "");
        AcceptedResponse deleted = send("delete", job, Map.of(), "");
        assertThat(deleted.status()).isEqualTo(405);
        assertThat(deleted.header("Allow")).contains("GET, HEAD, DELETE, OPTIONS");
        assertThat(send("GET", job, Map.of(), "").status())
                .as("the job is still there")
                .isIn(200, 202);
        assertThat(send("post", "/api/t", Map.of("Content-Type", List.of("application/json")), "{\"text\":\"x\"}")
                        .status())
                .isEqualTo(405);
    }

    @Test
    void absoluteUrls_areBuiltFromTheBaseUri_withoutDoubleSlashes() {
        AcceptedResponse reply =
                send("POST", "/api/t", Map.of("Content-Type", List.of("application/json")), "{\"text\":\"x\"}");
        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.header("Location").orElseThrow()).matches("http://example\\.test/app/jobs/[A-Za-z0-9_-]{22}");
    }

    /** Issue 17: origin {@code http://evil.example/x?y=} made {@code Location: http://evil.example/x?y=/jobs/…}. */
    @Test
    void anOriginThatIsNotSchemeHostAndPort_isA400Problem_andNoLinkIsMade() {
        for (String origin : List.of(
                "http://evil.example/x?y=",
                "http://evil.example#x",
                "ftp://example.test",
                "javascript://example.test",
                "example.test",
                "http://user@example.test",
                "http://example.test:0",
                "http://example.test:65536",
                "http://exa mple.test",
                "http://",
                "https://[::1]x")) {
            AcceptedResponse reply = engine.handle(new ProtocolRequest(
                    "POST",
                    "/api/t",
                    "",
                    Map.of("Content-Type", List.of("application/json")),
                    "alice",
                    origin,
                    "",
                    "192.0.2.1",
                    new ByteArrayInputStream("{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8))));
            assertThat(reply.status()).as(origin).isEqualTo(400);
            assertThat(reply.bodyText()).as(origin).contains("urn:accepted:problem:host-not-allowed");
            assertThat(reply.header("Location")).as(origin).isEmpty();
        }
        for (String origin : List.of(
                "HTTPS://Example.Test:8443",
                "http://[2001:db8::1]:8080",
                "http://reports_api:8080",
                "http://example.test.")) {
            AcceptedResponse reply = engine.handle(new ProtocolRequest(
                    "GET",
                    "/jobs/AAAAAAAAAAAAAAAAAAAAAA",
                    "",
                    Map.of(),
                    "alice",
                    origin,
                    "",
                    "192.0.2.1",
                    new ByteArrayInputStream(new byte[0])));
            assertThat(reply.status()).as(origin).isEqualTo(404);
        }
    }

    /** Issue 17: a HEAD on a missing job returned the 126-byte problem body. */
    @Test
    void head_answersLikeGet_withTheGetsLength_andNoBody() {
        AcceptedResponse get = send("GET", "/jobs/AAAAAAAAAAAAAAAAAAAAAA", Map.of(), "");
        AcceptedResponse head = send("HEAD", "/jobs/AAAAAAAAAAAAAAAAAAAAAA", Map.of(), "");
        assertThat(head.status()).isEqualTo(404);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Length")).contains(Integer.toString(get.body().length));
        assertThat(head.header("Content-Type")).isEqualTo(get.header("Content-Type"));
        AcceptedResponse headOfRoute = send("HEAD", "/api/t", Map.of(), "");
        assertThat(headOfRoute.status()).isEqualTo(405);
        assertThat(headOfRoute.body()).isEmpty();
    }

    @Test
    void builder_refusesAllowedHostsThatAreNotHostAndPort() {
        for (String entry : List.of(
                "https://api.example.com",
                "api.example.com/",
                "api.example.com:0",
                "api.example.com:65536",
                "api.example.com:x",
                "*",
                "*.example.com",
                "")) {
            assertThatThrownBy(() -> ProtocolEngine.builder(accepted).allowedHosts(Set.of(entry)))
                    .as(entry)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        ProtocolEngine.builder(accepted)
                .allowedHosts(
                        Set.of("api.example.com", "API.example.com:8443", "localhost:*", "[::1]:8080", "10.0.0.5"));
    }

    @Test
    void builder_refusesBadRoutes() {
        ProtocolEngine.Builder builder = ProtocolEngine.builder(accepted);
        assertThatThrownBy(() -> builder.route("POST", "/api/x", "unknown"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.route("GET", "/api/t", "t")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.route("POST", "api/t", "t")).isInstanceOf(IllegalArgumentException.class);
        builder.route("POST", "/api/t", "t");
        assertThatThrownBy(() -> builder.route("post", "/api/t", "t")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ProtocolEngine.builder(accepted)
                        .route("POST", "/jobs/new", "t")
                        .build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ProtocolEngine.builder(accepted).jobsPath("/jobs/"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retryAfter_isWholeSecondsRoundedUp_atLeastOne() {
        assertThat(ProtocolEngine.seconds(Duration.ZERO)).isEqualTo("1");
        assertThat(ProtocolEngine.seconds(Duration.ofMillis(1500))).isEqualTo("2");
        assertThat(ProtocolEngine.seconds(Duration.ofSeconds(5))).isEqualTo("5");
    }
}
