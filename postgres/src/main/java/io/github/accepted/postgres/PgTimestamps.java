package io.github.accepted.postgres;

import io.github.accepted.internal.IsoInstants;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Writes instants as text that PostgreSQL reads as a {@code timestamptz}. The driver's own
 * binding of an {@code OffsetDateTime} built a calendar for every statement: 7 % of the JVM's
 * CPU samples while a backlog drained (a JFR profile of the backlog benchmark); binding text
 * avoids it.
 */
final class PgTimestamps {

    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999999Z: ISO years PostgreSQL reads as written. */
    private static final long FIRST_SECOND = -62_135_596_800L;

    private static final long LAST_SECOND = 253_402_300_799L;

    private PgTimestamps() {}

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
