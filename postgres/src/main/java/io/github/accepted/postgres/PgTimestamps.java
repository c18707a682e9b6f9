package io.github.accepted.postgres;

import io.github.accepted.internal.IsoInstants;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Writes instants as text that PostgreSQL reads as a {@code timestamptz}. The driver's own
 * binding of an {@code OffsetDateTime} built a calendar for every statement: 7 % of the JVM's
 * CPU samples while a backlog drained (a JFR profile of the backlog benchmark); binding text
 * avoids it. The batched statements bind microseconds since the epoch instead ({@link #micros},
 * {@link #fromMicros}): neither side formats or parses text.
 */
final class PgTimestamps {

    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999999Z: ISO years PostgreSQL reads as written. */
    private static final long FIRST_SECOND = -62_135_596_800L;

    private static final long LAST_SECOND = 253_402_300_799L;

    /**
     * Microseconds since the epoch that {@link #fromMicros} turns into a {@code timestamptz}
     * exactly: within 2<sup>53</sup> of the epoch (years 1685 to 2255), where a {@code double}
     * holds every whole number.
     */
    private static final long MAX_MICROS = 1L << 53;

    private PgTimestamps() {}

    /**
     * The SQL that turns {@code int8} microseconds since the epoch ({@code expression}) into a
     * {@code timestamptz}, exactly (NULL stays NULL), in sessions of any time zone: what the
     * batched statements bind instead of text, so that neither side formats or parses dates (the
     * formatting was the top frame of the JVM's own time in a profile of the batched writes).
     */
    static String fromMicros(String expression) {
        return "(TIMESTAMPTZ 'epoch' + " + expression + " * INTERVAL '1 microsecond')";
    }

    /**
     * {@code instant} as microseconds since the epoch, rounded half up as the driver and
     * PostgreSQL round a value with more digits; null if {@link #fromMicros} could not read it
     * back exactly (outside years 1685 to 2255): such a row takes the single-row path.
     */
    static @Nullable Long micros(Instant instant) {
        return fits(instant) ? instant.getEpochSecond() * 1_000_000L + (instant.getNano() + 500) / 1_000 : null;
    }

    /** Whether {@link #micros} can write {@code instant}. */
    static boolean fits(Instant instant) {
        return Math.abs(instant.getEpochSecond()) < MAX_MICROS / 1_000_000L;
    }

    /**
     * {@code instant} as {@link Instant#toString()} writes it ({@code 2026-03-01T10:15:30.123456789Z},
     * by {@link IsoInstants}), which PostgreSQL reads as a {@code timestamptz}, rounding to
     * microseconds as the driver does; null outside years 1–9999.
     */
    static @Nullable String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        return seconds < FIRST_SECOND || seconds > LAST_SECOND ? null : IsoInstants.format(instant);
    }
}
