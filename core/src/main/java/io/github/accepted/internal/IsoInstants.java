package io.github.accepted.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@link Instant#toString()}, character for character, without {@code DateTimeFormatter}: the
 * formatter was an eighth of a status poll's CPU time, and binding a job row with it took a
 * PostgreSQL worker's share of samples from 6 % to 18 % (JFR profiles, docs/benchmarks.md).
 * For the engine and for stores that write instants as text. Years outside 0000–9999 fall
 * back to {@code toString()}.
 */
public final class IsoInstants {

    private static final long SECONDS_PER_DAY = 86_400;

    private IsoInstants() {}

    /** The longest text {@link #format(Instant, byte[])} writes. */
    public static final int MAX_LENGTH = 30;

    /** {@code instant.toString()}, faster. */
    public static String format(Instant instant) {
        byte[] out = new byte[MAX_LENGTH];
        int length = format(instant, out);
        return length < 0 ? instant.toString() : new String(out, 0, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * {@code instant.toString()} as ASCII bytes into {@code out} (at least {@link #MAX_LENGTH}
     * long), for writers that take bytes: no string made.
     *
     * @return how many bytes were written; -1, with nothing written, for a year outside 0000–9999
     */
    public static int format(Instant instant, byte[] out) {
        long seconds = instant.getEpochSecond();
        long day = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        if (day < -719_528 || day > 2_932_896) { // 0000-01-01 .. 9999-12-31
            return -1;
        }
        // the proleptic Gregorian date of the day (H. Hinnant's civil_from_days), without LocalDate's checks
        long z = day + 719_468;
        long era = Math.floorDiv(z, 146_097);
        int dayOfEra = (int) (z - era * 146_097);
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int shiftedMonth = (5 * dayOfYear + 2) / 153;
        int dayOfMonth = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
        int month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
        int year = (int) (yearOfEra + era * 400) + (month <= 2 ? 1 : 0);
        int nanos = instant.getNano();
        digits(out, 0, year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, dayOfMonth, 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        int end = 19;
        if (nanos > 0) {
            out[end++] = '.';
            if (nanos % 1_000_000 == 0) {
                digits(out, end, nanos / 1_000_000, 3);
                end += 3;
            } else if (nanos % 1_000 == 0) {
                digits(out, end, nanos / 1_000, 6);
                end += 6;
            } else {
                digits(out, end, nanos, 9);
                end += 9;
            }
        }
        out[end++] = 'Z';
        return end;
    }

    private static void digits(byte[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
