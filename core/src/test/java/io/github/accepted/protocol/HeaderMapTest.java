package io.github.accepted.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The request's header map answers as the case-insensitive {@code TreeMap} it replaced. */
class HeaderMapTest {

    private static final List<String> NAMES = List.of(
            "Content-Type",
            "content-type",
            "CONTENT-TYPE",
            "Prefer",
            "prefer",
            "If-None-Match",
            "Host",
            "X-Forwarded-For",
            "x-forwarded-for",
            "Accept",
            "A",
            "a",
            "Z-Last",
            "Callback-URL");

    /** What ProtocolRequest did before: a TreeMap in case-insensitive order, values merged by name. */
    private static Map<String, List<String>> asBefore(Map<String, List<String>> headers) {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.merge(name, List.copyOf(values), (a, b) -> {
            List<String> merged = new ArrayList<>(a);
            merged.addAll(b);
            return List.copyOf(merged);
        }));
        return copy;
    }

    @Test
    void answersEveryLookupAndIteratesInTheOrderOfTheTreeMap() {
        Random random = new Random(18);
        for (int round = 0; round < 2_000; round++) {
            Map<String, List<String>> given = new LinkedHashMap<>();
            int count = random.nextInt(8);
            for (int i = 0; i < count; i++) {
                String name = NAMES.get(random.nextInt(NAMES.size()));
                List<String> values = new ArrayList<>();
                for (int v = random.nextInt(3); v >= 0; v--) {
                    values.add("v" + random.nextInt(100));
                }
                given.put(name, values);
            }
            Map<String, List<String>> expected = asBefore(given);
            HeaderMap actual = HeaderMap.copyOf(given);
            assertThat(new ArrayList<>(actual.entrySet()))
                    .as(given.toString())
                    .containsExactlyElementsOf(new ArrayList<>(expected.entrySet()));
            assertThat(actual).isEqualTo(expected);
            assertThat(actual.hashCode()).isEqualTo(expected.hashCode());
            for (String name : NAMES) {
                assertThat(actual.get(name)).as(name).isEqualTo(expected.get(name));
                assertThat(actual.containsKey(name)).isEqualTo(expected.containsKey(name));
                assertThat(actual.getOrDefault(name, List.of())).isEqualTo(expected.getOrDefault(name, List.of()));
            }
            Object notAName = 42;
            assertThat(actual.get(notAName)).isNull();
        }
    }

    @Test
    void halfOfADuration_isWhatDividedByTwoGives() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            Duration d = Duration.ofSeconds(random.nextInt(1_000_000), random.nextInt(1_000_000_000));
            assertThat(RetryAfterPolicy.half(d)).isEqualTo(d.dividedBy(2));
        }
        for (Duration d : List.of(
                Duration.ZERO,
                Duration.ofNanos(1),
                Duration.ofSeconds(1),
                Duration.ofSeconds(-3, 5),
                Duration.ofSeconds(Long.MAX_VALUE, 999_999_999))) {
            assertThat(RetryAfterPolicy.half(d)).isEqualTo(d.dividedBy(2));
        }
    }
}
