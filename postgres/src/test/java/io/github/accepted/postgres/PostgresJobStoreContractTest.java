package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.accepted.conformance.JobStoreContract;
import io.github.accepted.spi.JobStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The JobStore contract on real PostgreSQL, with a non-UTC session time zone. */
class PostgresJobStoreContractTest extends JobStoreContract {

    @Override
    protected JobStore newStore(int maxQueued, int maxRetained, int maxQueuedPerOwner) {
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 4);
        return PostgresJobStore.builder(pool)
                .maxQueued(maxQueued)
                .maxRetained(maxRetained)
                .maxQueuedPerOwner(maxQueuedPerOwner)
                .build();
    }

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void sessions_reallyRunInANonUtcTimeZone() throws Exception {
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 1);
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SHOW TIME ZONE")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo(TestDatabases.SESSION_TIME_ZONE);
        }
    }
}
