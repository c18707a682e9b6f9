package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.Payload;
import io.github.accepted.internal.JobTransitions;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The context a job carries from its submit to its runs lives in the V2 {@code propagation} column. */
class PropagationColumnTest {

    private final DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 2);
    private final PostgresJobStore store =
            PostgresJobStore.builder(pool).listen(false).build();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    private Job queued(Map<String, String> context) {
        return JobTransitions.withPropagation(
                Job.queued(
                        JobId.random(),
                        "t",
                        "alice",
                        new Payload(Payload.JSON, "{}".getBytes(StandardCharsets.UTF_8)),
                        now),
                context);
    }

    private String column(JobId id) throws Exception {
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT propagation::text FROM accepted_jobs WHERE id = ?")) {
            s.setString(1, id.value());
            try (ResultSet row = s.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    @Test
    void aJobsContext_isStoredAsJson_andReadBackByFindAndByClaims() throws Exception {
        Map<String, String> context = Map.of(
                "traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "tracestate",
                "congo=t61rcWkgMzE",
                "mdc.requestId",
                "r-\"1\"");
        Job job = queued(context);
        store.create(job);

        assertThat(store.find(job.id())).contains(job);
        assertThat(column(job.id())).contains("\"traceparent\"");
        assertThat(store.claimNext(now, java.util.Set.of("t")).orElseThrow().propagation())
                .isEqualTo(context);
        Job claimedAtOnce = queued(Map.of("traceparent", "x"));
        assertThat(store.createClaimed(claimedAtOnce, now).orElseThrow().propagation())
                .isEqualTo(Map.of("traceparent", "x"));
        assertThat(store.find(claimedAtOnce.id()).orElseThrow().propagation()).isEqualTo(Map.of("traceparent", "x"));
    }

    @Test
    void aJobWithoutContext_leavesTheColumnNull() throws Exception {
        Job job = queued(Map.of());
        store.create(job);

        assertThat(column(job.id())).isNull();
        assertThat(store.find(job.id()).orElseThrow().propagation()).isEmpty();
    }
}
