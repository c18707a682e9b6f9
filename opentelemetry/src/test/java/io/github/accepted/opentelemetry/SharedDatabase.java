package io.github.accepted.opentelemetry;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL server; each {@link #newDatabase()} is a fresh database that two
 * engines share, as two instances of an application would.
 */
final class SharedDatabase implements AutoCloseable {

    private final EmbeddedPostgres server;
    private final AtomicInteger count = new AtomicInteger();

    SharedDatabase() throws IOException {
        server = EmbeddedPostgres.builder().start();
    }

    /** A new, empty database. */
    String newDatabase() throws SQLException {
        String name = "traces_" + count.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    /** A pool of one instance on {@code database}. */
    HikariDataSource pool(String database, String instance) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://localhost:" + server.getPort() + "/" + database);
        config.setUsername("postgres");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setPoolName(database + "-" + instance);
        return new HikariDataSource(config);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
