package io.github.accepted.examples.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests Jetty turns away before any servlet sees them still get a problem, not the container's
 * HTML page (issue 18: an encoded slash, a NUL and a control character in a header each got
 * Jetty's {@code <html>} error page).
 */
class MalformedRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ReportServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ReportServer.start(0, Duration.ofMillis(100));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET /jobs/..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\nHost: localhost",
                "GET /jobs/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: localhost",
                "GET /jobs/abc%00def HTTP/1.1\r\nHost: localhost",
                "GET /jobs/abc%zz HTTP/1.1\r\nHost: localhost",
                "GET /jobs/abc%C0%AF HTTP/1.1\r\nHost: localhost",
                "GET /jobs/abc HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: \"a\u0001b\"",
                "GET /jobs/abc HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: \"a\u0000b\"",
                "DELETE /jobs/..%2Fother HTTP/1.1\r\nHost: localhost",
                "GET /jobs/abc HTTP/1.1\r\nHost: localhost\r\nAccept: text/html",
                "GET /jobs/abc HTTP/1.1",
            })
    void aRequestTheContainerRefuses_getsAProblemNotAnHtmlPage(String head) throws Exception {
        RawHttp.Reply reply = RawHttp.send(server.port(), head);

        assertThat(reply.status()).as(reply.body()).isBetween(400, 499);
        assertThat(reply.headers().get("content-type")).as(reply.body()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(reply.body());
        assertThat(problem.path("status").asInt()).isEqualTo(reply.status());
        assertThat(problem.path("type").asText()).startsWith("urn:accepted:problem:");
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(reply.body()).doesNotContain("<html", "Exception", "at org.eclipse");
    }
}
