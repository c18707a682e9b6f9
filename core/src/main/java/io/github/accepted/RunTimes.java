package io.github.accepted;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long each job type has been taking: an exponentially weighted moving average of the run
 * times of its recent successes (weight 1/8 for the newest). Thread-safe.
 */
final class RunTimes {

    private final ConcurrentHashMap<String, Long> averageNanos = new ConcurrentHashMap<>();

    void record(String type, Duration runTime) {
        long nanos = Math.max(0, runTime.toNanos());
        averageNanos.merge(type, nanos, (old, now) -> old + (now - old) / 8);
    }

    Optional<Duration> typical(String type) {
        Long nanos = averageNanos.get(type);
        return nanos == null ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
    }
}
