package io.github.accepted.examples.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The example given a JDBC URL: two instances on one PostgreSQL; submit on one, fetch the PDF from the other. */
class ReportServerOnPostgresTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void twoInstancesOnOneDatabase_shareTheJobs() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            ReportServer.Database database = new ReportServer.Database(
                    "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", "");
            try (ReportServer first = ReportServer.start(0, Duration.ofMillis(50), database);
                    ReportServer second = ReportServer.start(0, Duration.ofMillis(50), database)) {
                HttpResponse<String> submitted = client.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + first.port() + "/api/reports"))
                                .header("Content-Type", "application/json")
                                .header("Prefer", "wait=20")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"report_type\":\"annual_summary\",\"pages\":2}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(submitted.statusCode()).isIn(200, 202);
                String path = URI.create(
                                submitted.headers().firstValue("Location").orElseThrow())
                        .getPath();

                URI onSecond = URI.create("http://localhost:" + second.port() + path);
                String status = "";
                for (int i = 0; i < 200 && !status.equals("succeeded"); i++) {
                    status = JSON.readTree(client.send(
                                            HttpRequest.newBuilder(onSecond).build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body())
                            .path("status")
                            .asText();
                    Thread.sleep(50);
                }
                assertThat(status).isEqualTo("succeeded");
                HttpResponse<byte[]> pdf = client.send(
                        HttpRequest.newBuilder(URI.create(onSecond + "/result")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(pdf.headers().firstValue("Content-Type")).contains("application/pdf");
                assertThat(new String(pdf.body(), StandardCharsets.US_ASCII)).startsWith("%PDF-1.4");
            }
        }
    }
}
