package io.github.accepted.postgres;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes instants as text that PostgreSQL reads as a {@code timestamptz}. The driver's own
 * binding of an {@code OffsetDateTime} built a calendar for every statement: 7 % of the JVM's
 * CPU samples while a backlog drained (docs/benchmarks.md), and none with this.
 */
final class PgTimestamps {

    private PgTimestamps() {
    }

    /**
     * {@code instant} as {@code 2026-03-01 10:15:30.123456789+00}, which PostgreSQL reads as a
     * {@code timestamptz} (rounding to microseconds, as the driver does); null outside years
     * 1–9999.
     */
    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        long day = Math.floorDiv(seconds, 86_400);
        if (day < -719_162 || day > 2_932_896) { // 0001-01-01 .. 9999-12-31
            return null;
        }
        int secondOfDay = Math.floorMod(seconds, 86_400);
        LocalDate date = LocalDate.ofEpochDay(day);
        char[] out = new char[32];
        put(out, 0, date.getYear(), 4);
        out[4] = '-';
        put(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, date.getDayOfMonth(), 2);
        out[10] = ' ';
        put(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        put(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        put(out, 17, secondOfDay % 60, 2);
        out[19] = '.';
        put(out, 20, instant.getNano(), 9);
        out[29] = '+';
        out[30] = '0';
        out[31] = '0';
        return new String(out);
    }

    private static void put(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
