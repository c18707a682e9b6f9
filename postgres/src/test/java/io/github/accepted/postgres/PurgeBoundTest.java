package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Issue 19, item 2: a purge went on until no expired row was left, however many there were. */
class PurgeBoundTest {

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void purgeExpired_removesAtMostItsBoundPerCall_andALaterCallGoesOn() throws Exception {
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 2);
        try (PostgresJobStore store =
                PostgresJobStore.builder(pool).listen(false).build()) {
            int expired = PostgresJobStore.MAX_PURGED_PER_CALL + 500;
            try (Connection c = pool.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("INSERT INTO accepted_jobs (id, type, owner, status, version, attempt, progress_percent, "
                        + "progress_message, input_type, input, cancel_requested, created_at, updated_at, finished_at, "
                        + "expires_at, run_after) SELECT md5(g::text), 'report', 'owner', 'succeeded', 3, 1, 100, '', "
                        + "'application/json', '{}'::bytea, false, now() - interval '2 days', now(), now(), "
                        + "now() - interval '1 day', now() FROM generate_series(1, " + expired + ") g");
            }

            assertThat(store.purgeExpired(Instant.now())).isEqualTo(PostgresJobStore.MAX_PURGED_PER_CALL);
            assertThat(rows(pool)).isEqualTo(500);
            assertThat(store.purgeExpired(Instant.now())).isEqualTo(500);
            assertThat(rows(pool)).isZero();
        }
    }

    private static long rows(DataSource pool) throws Exception {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT count(*) FROM accepted_jobs")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
