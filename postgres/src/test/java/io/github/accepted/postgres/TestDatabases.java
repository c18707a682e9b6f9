package io.github.accepted.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server for the whole test run (zonky's embedded binaries, no install),
 * and a fresh database for each store under test. Sessions use a non-UTC time zone on purpose,
 * as does the JVM (see the parent pom): time bugs show up here first.
 */
final class TestDatabases {

    static final String SESSION_TIME_ZONE = "Pacific/Chatham";

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final List<HikariDataSource> POOLS = new CopyOnWriteArrayList<>();
    private static EmbeddedPostgres server;

    private TestDatabases() {}

    static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the JVM is going down
                }
            }));
        }
        return server;
    }

    /** A new, empty database. */
    static String newDatabase() {
        String name = "accepted_test_" + COUNTER.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return name;
    }

    /** A pool on {@code database}, closed at the end of the run. */
    static HikariDataSource pool(String database, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl(database));
        config.setUsername("postgres");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionInitSql("SET TIME ZONE '" + SESSION_TIME_ZONE + "'");
        config.setPoolName(database + "-" + POOLS.size());
        HikariDataSource pool = new HikariDataSource(config);
        POOLS.add(pool);
        return pool;
    }

    static String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + server().getPort() + "/" + database;
    }

    static void closePools() {
        for (HikariDataSource pool : POOLS) {
            pool.close();
        }
        POOLS.clear();
    }
}
