package io.github.accepted.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.accepted.examples.reports.ReportServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against the real example server (Accepted on embedded Jetty). */
class ExampleServerTest {

    private ReportServer server;
    private URI reports;
    private final AcceptedClient client = AcceptedClient.create();

    @BeforeEach
    void start() throws Exception {
        server = ReportServer.start(0, Duration.ofMillis(100));
        reports = URI.create("http://localhost:" + server.port() + "/api/reports");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void submitAndAwait_returnsThePdf_reportingProgressOnTheWay() {
        List<JobProgress> seen = new CopyOnWriteArrayList<>();
        JobHandle job = client.submit(reports, Map.of("report_type", "annual_summary", "pages", 20))
                .onProgress(seen::add);
        assertThat(job.statusUrl().toString()).startsWith("http://localhost:" + server.port() + "/jobs/");

        JobResult pdf = job.awaitResult(Duration.ofSeconds(60));
        assertThat(pdf.mediaType()).isEqualTo("application/pdf");
        assertThat(new String(pdf.bytes(), StandardCharsets.US_ASCII))
                .startsWith("%PDF-1.4")
                .contains("/Count 20");
        assertThat(seen)
                .extracting(JobProgress::status)
                .contains("running")
                .last()
                .isEqualTo("succeeded");
        assertThat(seen).filteredOn(p -> p.status().equals("running")).allSatisfy(p -> assertThat(p.message())
                .startsWith("rendered page"));
    }

    @Test
    void resultAsync_completesWithThePdf() throws Exception {
        JobResult pdf = client.submit(reports, Map.of("report_type", "quarterly_summary", "pages", 2))
                .resultAsync(Duration.ofSeconds(60))
                .get(60, TimeUnit.SECONDS);
        assertThat(pdf.mediaType()).isEqualTo("application/pdf");
    }

    @Test
    void cancel_endsTheJobAsCanceled() {
        JobHandle job = client.submit(reports, Map.of("report_type", "sales_by_region", "pages", 50));
        job.cancel();
        assertThatThrownBy(() -> job.awaitResult(Duration.ofSeconds(60)))
                .isInstanceOfSatisfying(RemoteJobCanceledException.class, e -> assertThat(
                                e.problem().orElseThrow().type())
                        .isEqualTo("urn:accepted:problem:job-canceled"));
    }

    @Test
    void badInput_isRejected_withTheServersProblem() {
        assertThatThrownBy(() -> client.submit(reports, Map.of("report_type", "horoscope")))
                .isInstanceOfSatisfying(RequestRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.problem().orElseThrow().detail()).contains("unknown report_type");
                });
    }

    @Test
    void attach_followsAJobSubmittedElsewhere_andAnUnknownOneIsNotFound() {
        JobHandle submitted = client.submit(reports, Map.of("report_type", "annual_summary", "pages", 1));
        JobResult pdf = client.attach(submitted.statusUrl()).awaitResult(Duration.ofSeconds(60));
        assertThat(pdf.mediaType()).isEqualTo("application/pdf");

        URI unknown = URI.create("http://localhost:" + server.port() + "/jobs/AAAAAAAAAAAAAAAAAAAAAA");
        assertThatThrownBy(() -> client.attach(unknown).awaitResult(Duration.ofSeconds(60)))
                .isInstanceOf(RemoteJobNotFoundException.class);
    }
}
