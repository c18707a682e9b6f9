package io.github.accepted.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.accepted.Accepted;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.protocol.Route;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The document an engine's configuration gives: valid OpenAPI 3.1, with generated input schemas. */
class OpenApiDocumentTest {

    record Range(int from, int to) {}

    record ReportInput(
            @JsonProperty(value = "report_type", required = true)
            String reportType,

            @JsonPropertyDescription("1 to 50; 5 when left out")
            Integer pages,

            Range range) {}

    /** Named like the contract's problem schema on purpose. */
    record Problem(String text) {}

    private final Accepted accepted = Accepted.builder()
            .handler("report", ReportInput.class, (in, ctx) -> in)
            .handler("note", Problem.class, (in, ctx) -> in)
            .handler("plain", String.class, (in, ctx) -> in)
            .build();

    @AfterEach
    void close() {
        accepted.close();
    }

    private ProtocolEngine.Builder engine() {
        return ProtocolEngine.builder(accepted)
                .route("POST", "/api/reports", "report")
                .route(Route.of("POST", "/api/notes", "note").requireIdempotencyKey())
                .route(Route.of("PUT", "/api/plain", "plain").echoInput());
    }

    private static JsonNode resolve(JsonNode doc, JsonNode schema) {
        String ref = schema.path("$ref").asText();
        return ref.isEmpty() ? schema : doc.at(ref.substring(1));
    }

    @Test
    void document_isValidOpenApi31_withEveryEndpoint() {
        OpenApiDocument doc = OpenApiDocument.of(engine().build(), OpenApiInfo.of("Test", "1"));

        DocumentedAnswers parsed = DocumentedAnswers.parse(doc.toString(), "");
        assertThat(parsed.api().getPaths())
                .containsOnlyKeys(
                        "/api/reports", "/api/notes", "/api/plain", "/jobs", "/jobs/{id}", "/jobs/{id}/result");
        JsonNode paths = doc.tree().path("paths");
        assertThat(fieldNames(paths.path("/jobs/{id}")))
                .containsExactly("parameters", "get", "head", "delete", "options");
        assertThat(fieldNames(paths.path("/jobs/{id}").path("get").path("responses")))
                .containsExactly("200", "202", "304", "400", "404", "500", "503");
        assertThat(fieldNames(paths.path("/jobs/{id}").path("delete").path("responses")))
                .containsExactly("200", "202", "204", "400", "404", "412", "500", "503");
        assertThat(fieldNames(paths.path("/jobs/{id}/result").path("get").path("responses")))
                .containsExactly("200", "304", "400", "404", "409", "500", "503");
        assertThat(fieldNames(paths.path("/jobs").path("get").path("responses")))
                .containsExactly("200", "400", "403", "500", "503");
        assertThat(fieldNames(paths.path("/api/reports").path("post").path("responses")))
                .containsExactly("200", "202", "400", "413", "415", "422", "500", "503");
        assertThat(fieldNames(paths.path("/api/reports")
                        .path("post")
                        .path("responses")
                        .path("202")
                        .path("headers")))
                .contains("Location", "Operation-Location", "Retry-After", "ETag", "Vary", "Preference-Applied");
        assertThat(paths.path("/jobs/{id}")
                        .path("head")
                        .path("responses")
                        .path("200")
                        .has("content"))
                .isFalse();
        assertThat(fieldNames(paths.path("/jobs/{id}")
                        .path("head")
                        .path("responses")
                        .path("200")
                        .path("headers")))
                .contains("Content-Length", "ETag");
    }

    @Test
    void inputSchemas_areGeneratedFromTheInputClasses_withTheirJacksonNames() {
        JsonNode doc = OpenApiDocument.of(engine().build(), OpenApiInfo.of("Test", "1"))
                .tree();

        JsonNode report =
                resolve(doc, doc.at("/paths/~1api~1reports/post/requestBody/content/application~1json/schema"));
        assertThat(fieldNames(report.path("properties"))).containsExactly("report_type", "pages", "range");
        assertThat(report.path("required").toString()).isEqualTo("[\"report_type\"]");
        assertThat(report.path("additionalProperties").asBoolean(true))
                .as("unknown fields are refused, so the schema says so")
                .isFalse();
        assertThat(report.at("/properties/pages/description").asText()).isEqualTo("1 to 50; 5 when left out");
        assertThat(resolve(doc, report.at("/properties/range"))
                        .at("/properties/from/type")
                        .asText())
                .isEqualTo("integer");

        JsonNode plain = doc.at("/paths/~1api~1plain/put/requestBody/content/application~1json/schema");
        assertThat(plain.path("type").asText()).isEqualTo("string");
    }

    @Test
    void anInputClassNamedLikeAContractSchema_doesNotReplaceIt() {
        JsonNode doc = OpenApiDocument.of(engine().build(), OpenApiInfo.of("Test", "1"))
                .tree();

        JsonNode note = doc.at("/paths/~1api~1notes/post/requestBody/content/application~1json/schema");
        assertThat(note.path("$ref").asText()).isEqualTo("#/components/schemas/ProblemInput");
        assertThat(fieldNames(doc.at("/components/schemas/ProblemInput/properties")))
                .containsExactly("text");
        assertThat(fieldNames(doc.at("/components/schemas/Problem/properties")))
                .containsExactly("type", "title", "status", "detail", "instance");
    }

    @Test
    void routeOptions_andEngineSettings_showInTheDocument() {
        JsonNode plain = OpenApiDocument.of(engine().build(), OpenApiInfo.of("Test", "1"))
                .tree();
        JsonNode redirecting = OpenApiDocument.of(engine().resultRedirect(true).build(), OpenApiInfo.of("Test", "1"))
                .tree();

        assertThat(plain.at("/paths/~1api~1notes/post/responses").has("403"))
                .as("a key needs an owner")
                .isTrue();
        assertThat(plain.at("/paths/~1api~1notes/post/parameters/1/$ref").asText())
                .isEqualTo("#/components/parameters/Idempotency-Key.required");
        assertThat(plain.at("/paths/~1api~1reports/post/responses").has("403")).isFalse();
        assertThat(plain.at("/paths/~1jobs~1{id}/get/responses").has("303")).isFalse();
        assertThat(redirecting.at("/paths/~1jobs~1{id}/get/responses").has("303"))
                .isTrue();
        DocumentedAnswers.parse(
                new String(
                        OpenApiDocument.of(engine().resultRedirect(true).build(), OpenApiInfo.of("Test", "1"))
                                .json(),
                        java.nio.charset.StandardCharsets.UTF_8),
                "");
    }

    @Test
    void monitorSchema_hasTheFieldsTheEngineWrites() {
        JsonNode schemas = OpenApiDocument.of(engine().build(), OpenApiInfo.of("Test", "1"))
                .tree()
                .at("/components/schemas");

        assertThat(schemas.at("/JobStatus/enum").toString())
                .isEqualTo("[\"queued\",\"running\",\"succeeded\",\"failed\",\"canceled\"]");
        assertThat(fieldNames(schemas.at("/StatusMonitor/properties")))
                .containsExactlyInAnyOrder(
                        "jobId",
                        "type",
                        "status",
                        "done",
                        "progress",
                        "attempt",
                        "metadata",
                        "cancelRequested",
                        "createdAt",
                        "updatedAt",
                        "startedAt",
                        "finishedAt",
                        "expiresAt",
                        "statusUrl",
                        "resultUrl",
                        "resultType",
                        "result",
                        "input",
                        "error");
        assertThat(fieldNames(schemas.at("/Progress/properties"))).containsExactly("percent", "message");
    }

    @Test
    void infoAndServers_areTheGivenOnes() {
        JsonNode doc = OpenApiDocument.of(
                        engine().build(),
                        OpenApiInfo.of("Reports", "2.1")
                                .withDescription("PDF reports")
                                .withServers("https://api.example.com/r"))
                .tree();

        assertThat(doc.at("/info/title").asText()).isEqualTo("Reports");
        assertThat(doc.at("/info/version").asText()).isEqualTo("2.1");
        assertThat(doc.at("/info/description").asText()).isEqualTo("PDF reports");
        assertThat(doc.at("/servers/0/url").asText()).isEqualTo("https://api.example.com/r");
        assertThatThrownBy(() -> OpenApiInfo.of(" ", "1")).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
