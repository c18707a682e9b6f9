package io.github.accepted.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class IsoInstantsTest {

    @Property(tries = 5_000)
    void formatsExactlyAsInstantToString(@ForAll("instants") Instant instant) {
        assertThat(IsoInstants.format(instant)).isEqualTo(instant.toString());
    }

    @Example
    void edgesOfTheFastRangeAndBeyond() {
        for (String text : new String[] {
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999Z",
            "2024-02-29T12:00:00.000001Z",
            "+10000-01-01T00:00:00Z",
            "-0001-12-31T23:59:59Z",
            "2026-03-01T10:15:30.100Z"
        }) {
            Instant instant = Instant.parse(text);
            assertThat(IsoInstants.format(instant)).isEqualTo(instant.toString());
        }
    }

    /** Every day of the fast range, each at a second that needs its own hour, minute and second. */
    @Example
    void everyDayOfTheFastRange() {
        for (long day = java.time.LocalDate.of(0, 1, 1).toEpochDay();
                day <= java.time.LocalDate.of(9999, 12, 31).toEpochDay();
                day++) {
            Instant instant = Instant.ofEpochSecond(day * 86_400 + 45_296); // 12:34:56
            String formatted = IsoInstants.format(instant);
            if (!formatted.equals(instant.toString())) {
                assertThat(formatted).as("day " + day).isEqualTo(instant.toString());
            }
        }
    }

    @Provide
    Arbitrary<Instant> instants() {
        Arbitrary<Long> seconds = Arbitraries.longs().between(-62_200_000_000L, 253_500_000_000L);
        Arbitrary<Integer> nanos = Arbitraries.oneOf(
                Arbitraries.just(0),
                Arbitraries.integers().between(0, 999).map(n -> n * 1_000_000),
                Arbitraries.integers().between(0, 999_999).map(n -> n * 1_000),
                Arbitraries.integers().between(0, 999_999_999));
        return seconds.flatMap(s -> nanos.map(n -> Instant.ofEpochSecond(s, n)));
    }
}
