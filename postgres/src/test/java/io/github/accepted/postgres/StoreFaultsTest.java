package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.accepted.Job;
import io.github.accepted.JobHandler;
import io.github.accepted.JobId;
import io.github.accepted.Payload;
import io.github.accepted.conformance.Http;
import io.github.accepted.spi.StoreFailureException;
import io.github.accepted.spi.StoreUnavailableException;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Issue 19, item 11: every SQLException became a {@link StoreUnavailableException}, retried and
 * answered {@code 503}, even a violated constraint or a missing column. Real faults, made in a
 * real database: a CHECK constraint the store's rows break, a column dropped, a server that is
 * not there.
 */
class StoreFaultsTest {

    record Text(String text) {}

    private static final JobHandler<Text, Text> ECHO = (input, context) -> input;
    private final Http http = new Http();

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void aViolatedConstraint_isAStoreFailure_answered500() throws Exception {
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 4);
        try (Instance instance = new Instance(pool, "a", Duration.ofSeconds(10), 1, "echo", Text.class, ECHO)) {
            execute(pool, "ALTER TABLE accepted_jobs ADD CONSTRAINT small_inputs CHECK (octet_length(input) < 40)");
            Job big = Job.queued(
                    JobId.random(), "echo", "", Payload.json("{\"text\":\"" + "x".repeat(50) + "\"}"), Instant.now());
            assertThatThrownBy(() -> instance.store.create(big))
                    .isInstanceOf(StoreFailureException.class)
                    .isNotInstanceOf(StoreUnavailableException.class)
                    .hasRootCauseInstanceOf(SQLException.class);

            Http.Reply reply = http.postJson(instance.uri("/api/echo"), null, "{\"text\":\"" + "x".repeat(50) + "\"}");
            assertThat(reply.status()).isEqualTo(500);
            assertThat(reply.header("Content-Type")).contains("application/problem+json");
            assertThat(reply.json().path("type").asText()).isEqualTo("urn:accepted:problem:internal");
            assertThat(reply.header("Retry-After")).isEmpty();
        }
    }

    @Test
    void aMissingColumn_isAStoreFailure_answered500() throws Exception {
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 4);
        try (Instance instance = new Instance(pool, "a", Duration.ofSeconds(10), 1, "echo", Text.class, ECHO)) {
            Http.Reply submitted = http.postJson(instance.uri("/api/echo"), null, "{\"text\":\"hi\"}");
            assertThat(submitted.status()).isIn(200, 202);
            String status = submitted.header("Location").orElseThrow();
            execute(pool, "ALTER TABLE accepted_jobs DROP COLUMN progress_message");

            assertThatThrownBy(() -> instance.store.find(JobId.random())).isInstanceOf(StoreFailureException.class);
            Http.Reply reply = http.get(java.net.URI.create(status), null);
            assertThat(reply.status()).isEqualTo(500);
            assertThat(reply.json().path("type").asText()).isEqualTo("urn:accepted:problem:internal");
        }
    }

    @Test
    void aServerThatIsNotThere_isUnavailability() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setUrl("jdbc:postgresql://127.0.0.1:" + port + "/none");
        nowhere.setUser("postgres");
        nowhere.setConnectTimeout(2);
        assertThatThrownBy(() -> PostgresJobStore.builder(nowhere).listen(false).build())
                .isInstanceOf(StoreUnavailableException.class);
    }

    private static void execute(DataSource pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
