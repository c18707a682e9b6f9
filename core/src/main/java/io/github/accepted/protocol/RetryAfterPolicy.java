package io.github.accepted.protocol;

import io.github.accepted.Accepted;
import io.github.accepted.Job;
import io.github.accepted.JobStatus;
import io.github.accepted.internal.EngineInternals;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How long to tell a poller to wait. A route's fixed value wins; otherwise the wait adapts to
 * the job: half of its expected remaining time, between 1 second and the configured maximum.
 * The remaining time comes from the job's own progress (elapsed × (100 − p) / p) when it reports
 * a percentage, else from how long its type has been taking lately, else the default.
 *
 * <p>Half the remaining time means a client polls about twice before the expected end and then
 * converges on it, instead of hammering a job that will take minutes or learning late about one
 * that took a second.
 */
final class RetryAfterPolicy {

    private final Accepted accepted;
    private final Duration fallback;
    private final Duration max;
    private final Map<String, Duration> fixedByType;
    private final boolean adaptive;

    RetryAfterPolicy(
            Accepted accepted, Duration fallback, Duration max, Map<String, Duration> fixedByType, boolean adaptive) {
        this.accepted = accepted;
        this.fallback = fallback;
        this.max = max;
        this.fixedByType = Map.copyOf(fixedByType);
        this.adaptive = adaptive;
    }

    /** The {@code Retry-After} value, in whole seconds, for a poller of {@code job}. */
    String forJob(Job job) {
        Duration fixed = fixedByType.get(job.type());
        if (fixed != null) {
            return ProtocolEngine.seconds(fixed);
        }
        if (!adaptive) {
            return ProtocolEngine.seconds(fallback);
        }
        Duration wait = remaining(job, accepted.clock().instant())
                .map(RetryAfterPolicy::half)
                .orElse(fallback);
        if (wait.compareTo(max) > 0) {
            wait = max;
        }
        return ProtocolEngine.seconds(wait);
    }

    /**
     * Half of {@code duration}, as {@code dividedBy(2)} gives it (nanoseconds truncated), without
     * the {@code BigDecimal} that takes: it was a tenth of a submission's time.
     */
    static Duration half(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds < 0) {
            return duration.dividedBy(2);
        }
        return Duration.ofSeconds(seconds / 2, ((seconds % 2) * 1_000_000_000L + duration.getNano()) / 2);
    }

    private Optional<Duration> remaining(Job job, Instant now) {
        int percent = job.progress().percent();
        if (job.status() == JobStatus.RUNNING && job.startedAt().isPresent()) {
            Duration elapsed = Duration.between(job.startedAt().get(), now);
            if (percent > 0 && percent < 100 && !elapsed.isNegative()) {
                return Optional.of(elapsed.multipliedBy(100 - percent).dividedBy(percent));
            }
            return EngineInternals.of(accepted)
                    .typicalRunTime(job.type())
                    .map(typical -> typical.minus(elapsed).isNegative() ? Duration.ZERO : typical.minus(elapsed));
        }
        return EngineInternals.of(accepted).typicalRunTime(job.type());
    }
}
