package io.github.accepted.examples.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The example as a client meets it: over real HTTP, following only what the server says. */
class ReportServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private ReportServer server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = ReportServer.start(0, Duration.ofMillis(100));
        base = URI.create("http://localhost:" + server.port());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<byte[]> post(String json) throws Exception {
        return client.send(
                HttpRequest.newBuilder(base.resolve("/api/reports"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aClientFollowingLocation_getsTheRenderedPdf() throws Exception {
        HttpResponse<byte[]> reply = post("{\"report_type\":\"annual_summary\",\"pages\":3}");
        assertThat(reply.statusCode()).isEqualTo(202);
        boolean sawProgress = false;
        int polls = 0;
        while (reply.statusCode() == 202 && polls++ < 200) {
            Thread.sleep(50); // the server says Retry-After: 1; a test need not wait that long
            reply = get(URI.create(reply.headers().firstValue("Location").orElseThrow()));
            JsonNode monitor = JSON.readTree(reply.body());
            if (monitor.path("status").asText().equals("running")
                    && monitor.path("progress").path("percent").asInt() > 0) {
                sawProgress = true;
                assertThat(monitor.path("progress").path("message").asText()).startsWith("rendered page");
            }
        }
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(sawProgress)
                .as("a poller sees the report running, page by page")
                .isTrue();
        JsonNode done = JSON.readTree(reply.body());
        assertThat(done.path("status").asText()).isEqualTo("succeeded");
        assertThat(done.path("resultType").asText()).isEqualTo("application/pdf");

        HttpResponse<byte[]> pdf = get(URI.create(done.path("resultUrl").asText()));
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).contains("application/pdf");
        String text = new String(pdf.body(), StandardCharsets.US_ASCII);
        assertThat(text)
                .startsWith("%PDF-1.4")
                .contains("/Count 3")
                .contains("(Annual summary - page 3 of 3)")
                .endsWith("%%EOF\n");
    }

    @Test
    void unknownReportType_isA400_beforeAnythingIsQueued() throws Exception {
        HttpResponse<byte[]> reply = post("{\"report_type\":\"horoscope\"}");
        assertThat(reply.statusCode()).isEqualTo(400);
        assertThat(reply.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(reply.body());
        assertThat(problem.path("detail").asText()).contains("unknown report_type", "annual_summary");
        assertThat(post("{\"report_type\":\"annual_summary\",\"pages\":500}").statusCode())
                .isEqualTo(400);
    }

    @Test
    void homePage_answers200() throws Exception {
        HttpResponse<byte[]> home = get(base.resolve("/"));
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(new String(home.body(), StandardCharsets.UTF_8)).contains("POST /api/reports");
    }

    @Test
    void cancelingARunningReport_stopsIt() throws Exception {
        HttpResponse<byte[]> reply = post("{\"report_type\":\"sales_by_region\",\"pages\":50}");
        URI monitor = URI.create(reply.headers().firstValue("Location").orElseThrow());
        HttpResponse<byte[]> cancel =
                client.send(HttpRequest.newBuilder(monitor).DELETE().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(cancel.statusCode()).isIn(200, 202);
        String status = "";
        for (int i = 0; i < 100 && !status.equals("canceled"); i++) {
            Thread.sleep(50);
            status = JSON.readTree(get(monitor).body()).path("status").asText();
        }
        assertThat(status).isEqualTo("canceled");
    }
}
