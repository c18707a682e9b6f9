package io.github.accepted.spring.boot.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code accepted.openapi.enabled=true} in a servlet application: the starter serves
 * accepted-openapi's document of its routes at {@code accepted.openapi.path}. One application start.
 */
class OpenApiEndpointTest {

    private static ConfigurableApplicationContext context;
    private static String base;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() {
        context = new SpringApplicationBuilder(OpenApiApplication.class)
                .web(WebApplicationType.SERVLET)
                .properties(
                        "server.port=0",
                        "server.address=127.0.0.1",
                        "accepted.openapi.enabled=true",
                        "accepted.openapi.title=Reports",
                        "accepted.openapi.version=2.0")
                .run();
        base = "http://127.0.0.1:"
                + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void theDocument_isServedAtTheDefaultPath_andDescribesTheRoutes() throws Exception {
        HttpResponse<String> reply = get("/v3/api-docs/accepted");

        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        assertThat(reply.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode document = new ObjectMapper().readTree(reply.body());
        assertThat(document.path("openapi").asText()).startsWith("3.1.");
        assertThat(document.path("info").path("title").asText()).isEqualTo("Reports");
        assertThat(document.path("info").path("version").asText()).isEqualTo("2.0");
        assertThat(document.path("paths").has("/api/rows")).isTrue();
        assertThat(document.path("paths").fieldNames()).toIterable().anyMatch(path -> path.startsWith("/jobs/"));
    }

    @Test
    void acceptedsEndpoints_stillAnswer() throws Exception {
        HttpResponse<String> submit = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/api/rows"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"rows\":1,\"name\":\"a\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(submit.statusCode()).as(submit.body()).isEqualTo(202);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
