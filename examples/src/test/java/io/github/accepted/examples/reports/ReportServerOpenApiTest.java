package io.github.accepted.examples.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example's OpenAPI document, as served: valid OpenAPI 3.1 (swagger-parser has nothing to
 * say), with the report input's schema, and listing every status and header the example answers.
 */
class ReportServerOpenApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPORT = "{\"report_type\":\"annual_summary\",\"pages\":2}";

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private ReportServer server;
    private URI base;
    private String document;
    private DocumentedAnswers answers;

    @BeforeEach
    void start() throws Exception {
        server = ReportServer.start(0, Duration.ofMillis(100));
        base = URI.create("http://localhost:" + server.port());
        HttpResponse<String> served = client.send(
                HttpRequest.newBuilder(base.resolve(ReportServer.OPENAPI_PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(served.statusCode()).isEqualTo(200);
        document = served.body();
        answers = DocumentedAnswers.parse(document, "");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<byte[]> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return answers.check(method, client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
    }

    private HttpResponse<byte[]> submit(String body, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send("POST", "/api/reports", body, all);
    }

    private static String path(HttpResponse<byte[]> response) {
        return URI.create(response.headers().firstValue("Location").orElseThrow())
                .getPath();
    }

    @Test
    void theReportInput_isDescribedFromReportRequest() throws Exception {
        JsonNode doc = JSON.readTree(document);
        String ref = doc.at("/paths/~1api~1reports/post/requestBody/content/application~1json/schema/$ref")
                .asText();
        assertThat(ref).isEqualTo("#/components/schemas/ReportRequest");
        JsonNode schema = doc.at("/components/schemas/ReportRequest");
        assertThat(schema.at("/properties/report_type/type").asText()).isEqualTo("string");
        assertThat(schema.at("/properties/pages/type").asText()).isEqualTo("integer");
        assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
    }

    @Test
    void everyStatusTheExampleAnswers_isInTheDocument() throws Exception {
        HttpResponse<byte[]> accepted = submit(REPORT.replace("2", "40"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String job = path(accepted);
        HttpResponse<byte[]> running = send("GET", job, null);
        assertThat(running.statusCode()).isEqualTo(202);
        String tag = running.headers().firstValue("ETag").orElseThrow();
        assertThat(send("GET", job, null, "If-None-Match", tag).statusCode()).isIn(202, 304);
        assertThat(send("HEAD", job, null).statusCode()).isEqualTo(202);
        assertThat(send("GET", job + "/result", null).statusCode()).isEqualTo(409);
        assertThat(send("DELETE", job, null, "If-Match", "\"old\"").statusCode())
                .isEqualTo(412);
        assertThat(send("DELETE", job, null).statusCode()).isEqualTo(202);

        HttpResponse<byte[]> done = submit(REPORT, "Prefer", "wait=20");
        assertThat(done.statusCode()).isEqualTo(200);
        String finished = URI.create(
                        done.headers().firstValue("Content-Location").orElseThrow())
                .getPath();
        HttpResponse<byte[]> monitor = send("GET", finished, null);
        assertThat(monitor.statusCode()).isEqualTo(200);
        assertThat(send(
                                "GET",
                                finished,
                                null,
                                "If-None-Match",
                                monitor.headers().firstValue("ETag").orElseThrow())
                        .statusCode())
                .isEqualTo(304);
        HttpResponse<byte[]> pdf = send("GET", finished + "/result", null);
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).contains("application/pdf");
        assertThat(send("HEAD", finished + "/result", null).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", finished, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", finished, null).statusCode()).isEqualTo(404);

        assertThat(submit(REPORT, "Prefer", "respond-async").statusCode()).isEqualTo(202);
        assertThat(submit("{\"report_type\":\"weekly\"}").statusCode()).isEqualTo(400);
        assertThat(submit("{\"report_type\":").statusCode()).isEqualTo(400);
        assertThat(submit(REPORT, "Idempotency-Key", "\"k\"").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/reports", REPORT, "Content-Type", "text/plain")
                        .statusCode())
                .isEqualTo(415);
        assertThat(submit("{\"report_type\":\"" + "x".repeat(1 << 20) + "\"}").statusCode())
                .isEqualTo(413);
        assertThat(send("GET", "/jobs", null).statusCode()).as("anonymous").isEqualTo(403);
        assertThat(send("OPTIONS", "/api/reports", null).statusCode()).isEqualTo(204);
        assertThat(send("OPTIONS", job, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/api/reports", null).statusCode()).isEqualTo(405);
        assertThat(send("PATCH", job, "{}").statusCode()).isEqualTo(405);

        assertThat(answers.seen())
                .containsEntry("POST /api/reports", Set.of(200, 202, 400, 413, 415))
                .containsEntry("GET /jobs/{id}", Set.of(200, 202, 304, 404))
                .containsEntry("DELETE /jobs/{id}", Set.of(202, 204, 412))
                .containsEntry("GET /jobs/{id}/result", Set.of(200, 409))
                .containsEntry("GET /jobs", Set.of(403));
        System.out.println("the example's statuses, each documented: " + answers.seen());
    }
}
