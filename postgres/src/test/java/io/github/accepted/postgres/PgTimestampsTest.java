package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Our timestamp binding against the driver's, on real PostgreSQL, in sessions of many time zones. */
class PgTimestampsTest {

    private static final List<String> ZONES = List.of("UTC", "Pacific/Chatham", "America/St_Johns", "Asia/Kolkata",
            "Europe/Amsterdam", "America/Los_Angeles", "Pacific/Kiritimati", "Africa/Monrovia");

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void formatsWhatPostgresReadsBack_roundedToMicroseconds_inEveryZone() throws Exception {
        Random random = new Random(7);
        List<Instant> values = new ArrayList<>(List.of(Instant.parse("0001-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999Z"), Instant.parse("1969-12-31T23:59:59.9999995Z"),
                Instant.parse("2026-03-01T10:15:30.123456789Z"), Instant.parse("2026-03-01T10:15:30.000000499Z")));
        for (int i = 0; i < 200; i++) {
            values.add(Instant.ofEpochSecond(-2_000_000_000L + (long) (random.nextDouble() * 6_000_000_000L),
                    random.nextInt(1_000_000_000)));
        }
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 1);
        try (Connection c = pool.getConnection()) {
            for (String zone : ZONES) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET TIME ZONE '" + zone + "'");
                }
                for (Instant value : values) {
                    try (PreparedStatement s = c.prepareStatement("SELECT ?::timestamptz AS ours, ?::timestamptz AS driver")) {
                        JobRows.setTimestamp(s, 1, value);
                        s.setObject(2, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
                        try (ResultSet row = s.executeQuery()) {
                            row.next();
                            Instant ours = row.getObject("ours", OffsetDateTime.class).toInstant();
                            Instant driver = row.getObject("driver", OffsetDateTime.class).toInstant();
                            assertThat(ours).as("%s in %s", value, zone).isEqualTo(driver);
                        }
                    }
                }
            }
        }
        assertThat(PgTimestamps.format(Instant.parse("2026-03-01T10:15:30.1Z"))).isEqualTo("2026-03-01 10:15:30.100000000+00");
        assertThat(PgTimestamps.format(Instant.parse("+10000-01-01T00:00:00Z"))).isNull();
    }

    @Test
    void readsBackEveryMicrosecondAsSelectedInMicros_inEveryZone() throws Exception {
        Random random = new Random(11);
        List<Instant> values = new ArrayList<>(List.of(Instant.parse("0001-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999Z"), Instant.parse("1969-12-31T23:59:59.999999Z"),
                Instant.parse("1970-01-01T00:00:00.000001Z"), Instant.parse("2026-03-01T10:15:30.123456Z")));
        for (int i = 0; i < 200; i++) {
            values.add(Instant.ofEpochSecond(-2_000_000_000L + (long) (random.nextDouble() * 6_000_000_000L),
                    random.nextInt(1_000_000) * 1_000L));
        }
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 1);
        try (Connection c = pool.getConnection()) {
            for (String zone : ZONES) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET TIME ZONE '" + zone + "'");
                }
                for (Instant value : values) {
                    try (PreparedStatement s = c.prepareStatement(
                            "SELECT (extract(epoch FROM t) * 1000000)::bigint AS t_us FROM (SELECT ?::timestamptz AS t) v")) {
                        JobRows.setTimestamp(s, 1, value);
                        try (ResultSet row = s.executeQuery()) {
                            row.next();
                            assertThat(JobRows.instant(row, "t")).as("%s in %s", value, zone).contains(value);
                        }
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT (extract(epoch FROM NULL::timestamptz) * 1000000)::bigint AS t_us");
                 ResultSet row = s.executeQuery()) {
                row.next();
                assertThat(JobRows.instant(row, "t")).isEmpty();
            }
        }
    }
}
