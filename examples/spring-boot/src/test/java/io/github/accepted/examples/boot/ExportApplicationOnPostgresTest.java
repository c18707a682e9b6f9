package io.github.accepted.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.postgres.PostgresJobStore;
import io.github.accepted.spi.JobStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Given a JDBC URL, the example keeps its jobs in PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "example.month-time=10ms")
class ExportApplicationOnPostgresTest {

    private static EmbeddedPostgres postgres;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("JDBC_URL", () -> postgres.getJdbcUrl("postgres", "postgres"));
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JobStore store;

    @Test
    void jobs_liveInPostgres() throws Exception {
        assertThat(store).isInstanceOf(PostgresJobStore.class);
        ExampleClient client = new ExampleClient(port);
        String monitor = client.send("POST", "/api/exports", "bob", "{\"months\":1}")
                .headers()
                .firstValue("Location")
                .orElseThrow();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.send("GET", monitor, "bob", null).statusCode() == 200);
        HttpResponse<String> csv = client.send("GET", monitor + "/result", "bob", null);
        assertThat(csv.body()).contains(",bob,");
        assertThat(client.send("GET", monitor, "alice", null).statusCode()).isEqualTo(404);
    }
}
