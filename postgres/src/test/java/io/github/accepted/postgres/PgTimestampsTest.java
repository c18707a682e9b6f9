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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Our timestamp binding and reading against the driver's, on real PostgreSQL, in sessions of many time zones. */
class PgTimestampsTest {

    private static final List<String> ZONES = List.of(
            "UTC",
            "Pacific/Chatham",
            "America/St_Johns",
            "Asia/Kolkata",
            "Europe/Amsterdam",
            "America/Los_Angeles",
            "Pacific/Kiritimati",
            "Africa/Monrovia");

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void formatsWhatPostgresReadsBack_roundedToMicroseconds_inEveryZone() throws Exception {
        List<Instant> values = withRandom(
                7,
                1,
                Instant.parse("0001-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999Z"),
                Instant.parse("1969-12-31T23:59:59.9999995Z"),
                Instant.parse("2026-03-01T10:15:30.123456789Z"),
                Instant.parse("2026-03-01T10:15:30.000000499Z"));
        inEveryZone(values, (c, zone, value) -> {
            try (PreparedStatement s = c.prepareStatement("SELECT ?::timestamptz AS ours, ?::timestamptz AS driver")) {
                JobRows.setTimestamp(s, 1, value);
                s.setObject(2, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
                try (ResultSet row = s.executeQuery()) {
                    row.next();
                    Instant ours = row.getObject("ours", OffsetDateTime.class).toInstant();
                    Instant driver =
                            row.getObject("driver", OffsetDateTime.class).toInstant();
                    assertThat(ours).as("%s in %s", value, zone).isEqualTo(driver);
                }
            }
        });
        assertThat(PgTimestamps.format(Instant.parse("2026-03-01T10:15:30.1Z"))).isEqualTo("2026-03-01T10:15:30.100Z");
        assertThat(PgTimestamps.format(Instant.parse("+10000-01-01T00:00:00Z"))).isNull();
        assertThat(PgTimestamps.format(Instant.parse("0000-12-31T23:59:59.999999Z")))
                .isNull();
    }

    @Test
    void microsecondsTheBatchesBind_readBackAsTheDriversBinding_inEveryZone() throws Exception {
        List<Instant> values = withRandom(
                13,
                1,
                Instant.parse("1686-01-01T00:00:00Z"),
                Instant.parse("2254-12-31T23:59:59.999999Z"),
                Instant.parse("1969-12-31T23:59:59.9999995Z"),
                Instant.parse("1969-12-31T23:59:59.9999994Z"),
                Instant.parse("2026-03-01T10:15:30.123456789Z"),
                Instant.parse("2026-03-01T10:15:30.000000500Z"),
                Instant.parse("2026-03-01T10:15:30.000000499Z"));
        inEveryZone(values, (c, zone, value) -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + PgTimestamps.fromMicros("?::int8")
                    + " AS ours, ?::timestamptz AS driver, " + PgTimestamps.fromMicros("NULL::int8") + " AS none")) {
                s.setLong(1, PgTimestamps.micros(value));
                s.setObject(2, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
                try (ResultSet row = s.executeQuery()) {
                    row.next();
                    assertThat(row.getObject("ours", OffsetDateTime.class).toInstant())
                            .as("%s in %s", value, zone)
                            .isEqualTo(row.getObject("driver", OffsetDateTime.class)
                                    .toInstant());
                    assertThat(row.getObject("none")).isNull();
                }
            }
        });
        assertThat(PgTimestamps.micros(Instant.parse("1684-01-01T00:00:00Z"))).isNull();
        assertThat(PgTimestamps.micros(Instant.parse("2256-01-01T00:00:00Z"))).isNull();
        assertThat(PgTimestamps.micros(Instant.EPOCH)).isZero();
    }

    @Test
    void readsBackEveryMicrosecondAsSelectedInMicros_inEveryZone() throws Exception {
        List<Instant> values = withRandom(
                11,
                1_000,
                Instant.parse("0001-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999Z"),
                Instant.parse("1969-12-31T23:59:59.999999Z"),
                Instant.parse("1970-01-01T00:00:00.000001Z"),
                Instant.parse("2026-03-01T10:15:30.123456Z"));
        inEveryZone(values, (c, zone, value) -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT (extract(epoch FROM t) * 1000000)::bigint AS t_us FROM (SELECT ?::timestamptz AS t) v")) {
                JobRows.setTimestamp(s, 1, value);
                try (ResultSet row = s.executeQuery()) {
                    row.next();
                    assertThat(JobRows.instant(row, "t"))
                            .as("%s in %s", value, zone)
                            .contains(value);
                }
            }
        });
        inEveryZone(List.of(Instant.EPOCH), (c, zone, value) -> {
            try (PreparedStatement s = c.prepareStatement(
                            "SELECT (extract(epoch FROM NULL::timestamptz) * 1000000)::bigint AS t_us");
                    ResultSet row = s.executeQuery()) {
                row.next();
                assertThat(JobRows.instant(row, "t")).isEmpty();
            }
        });
    }

    private interface Check {
        void run(Connection connection, String zone, Instant value) throws Exception;
    }

    /** Runs {@code check} for each value in a session of each zone. */
    private static void inEveryZone(List<Instant> values, Check check) throws Exception {
        try (Connection c = TestDatabases.pool(TestDatabases.newDatabase(), 1).getConnection()) {
            for (String zone : ZONES) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET TIME ZONE '" + zone + "'");
                }
                for (Instant value : values) {
                    check.run(c, zone, value);
                }
            }
        }
    }

    /** {@code edges} and 200 random instants from 1906 to 2160, in steps of {@code nanosStep}. */
    private static List<Instant> withRandom(long seed, int nanosStep, Instant... edges) {
        Random random = new Random(seed);
        List<Instant> values = new ArrayList<>(List.of(edges));
        for (int i = 0; i < 200; i++) {
            values.add(Instant.ofEpochSecond(
                    -2_000_000_000L + (long) (random.nextDouble() * 6_000_000_000L),
                    (long) random.nextInt(1_000_000_000 / nanosStep) * nanosStep));
        }
        return values;
    }
}
