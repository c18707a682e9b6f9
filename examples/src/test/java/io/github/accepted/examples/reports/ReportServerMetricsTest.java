package io.github.accepted.examples.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** With METRICS=prometheus the example serves its meters at /metrics; without, there is no such page. */
class ReportServerMetricsTest {

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void prometheus_scrapesTheJobMeters_afterAReportIsRendered() throws Exception {
        try (ReportServer server = ReportServer.startWithPrometheus(0, Duration.ofMillis(10), Optional.empty())) {
            URI base = URI.create("http://localhost:" + server.port());
            HttpResponse<String> submit = client.send(
                    HttpRequest.newBuilder(base.resolve("/api/reports"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"report_type\":\"annual_summary\",\"pages\":1}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(submit.statusCode()).isEqualTo(202);
            URI monitor = URI.create(submit.headers().firstValue("Location").orElseThrow());
            for (int i = 0; i < 200 && get(monitor).statusCode() == 202; i++) {
                Thread.sleep(25);
            }

            HttpResponse<String> metrics = get(base.resolve("/metrics"));
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("text/plain");
            assertThat(metrics.body())
                    .contains("accepted_jobs_submitted_total{type=\"report\"} 1")
                    .contains("accepted_jobs_completed_total{outcome=\"succeeded\",type=\"report\"} 1")
                    .contains("accepted_jobs_run_seconds_count{outcome=\"succeeded\",type=\"report\"} 1")
                    .contains("accepted_clients_waiting 0");
        }
    }

    @Test
    void withoutMetrics_thereIsNoMetricsPage() throws Exception {
        try (ReportServer server = ReportServer.start(0, Duration.ofMillis(10))) {
            assertThat(get(URI.create("http://localhost:" + server.port() + "/metrics"))
                            .statusCode())
                    .isEqualTo(404);
        }
    }
}
