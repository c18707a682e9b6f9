package io.github.accepted.micrometer;

import io.github.accepted.RejectedJobException;
import io.github.accepted.spi.EngineGauges;
import io.github.accepted.spi.JobEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** Every meter of one job type, made once: the event path only looks them up. */
final class TypeMeters {

    private static final JobEvent.Kind[] OUTCOMES = {
        JobEvent.Kind.SUCCEEDED, JobEvent.Kind.FAILED, JobEvent.Kind.CANCELED, JobEvent.Kind.RETRIED
    };

    final Counter submitted;
    final Counter retried;
    final Counter recovered;
    final Counter expired;
    final Timer waitTimer;
    final QueuedCount queued = new QueuedCount();
    private final Map<RejectedJobException.Reason, Counter> rejected = new EnumMap<>(RejectedJobException.Reason.class);
    private final Map<JobEvent.Kind, Counter> completed = new EnumMap<>(JobEvent.Kind.class);
    private final Map<JobEvent.Kind, Timer> runTimers = new EnumMap<>(JobEvent.Kind.class);

    TypeMeters(MeterRegistry registry, String type, @Nullable EngineGauges engine) {
        String p = AcceptedMetrics.PREFIX;
        Tags tags = AcceptedMetrics.typeTag(type);
        submitted = Counter.builder(p + "jobs.submitted")
                .description("Jobs accepted")
                .tags(tags)
                .register(registry);
        retried = Counter.builder(p + "jobs.retried")
                .description("Attempts queued again for another try")
                .tags(tags)
                .register(registry);
        recovered = Counter.builder(p + "jobs.recovered")
                .description("Jobs taken back from an instance that stopped renewing its lease")
                .tags(tags)
                .register(registry);
        expired = Counter.builder(p + "jobs.expired")
                .description("Attempts that ran past their type's time limit")
                .tags(tags)
                .register(registry);
        waitTimer = Timer.builder(p + "jobs.wait")
                .description("Time from submit to the first start")
                .tags(tags)
                .register(registry);
        for (RejectedJobException.Reason reason : RejectedJobException.Reason.values()) {
            rejected.put(
                    reason,
                    Counter.builder(p + "jobs.rejected")
                            .description("Submissions refused")
                            .tags(tags)
                            .tag("reason", AcceptedMetrics.tagValue(reason))
                            .register(registry));
        }
        for (JobEvent.Kind outcome : OUTCOMES) {
            if (outcome != JobEvent.Kind.RETRIED) {
                completed.put(
                        outcome,
                        Counter.builder(p + "jobs.completed")
                                .description("Jobs that ended")
                                .tags(tags)
                                .tag("outcome", AcceptedMetrics.outcome(outcome))
                                .register(registry));
            }
            runTimers.put(
                    outcome,
                    Timer.builder(p + "jobs.run")
                            .description("Time from an attempt's start to its end")
                            .tags(tags)
                            .tag("outcome", AcceptedMetrics.outcome(outcome))
                            .register(registry));
        }
        Gauge.builder(p + "jobs.queued", queued, QueuedCount::value)
                .description("Jobs queued by this instance and not yet started (sum over instances)")
                .tags(tags)
                .register(registry);
        if (engine != null) {
            Gauge.builder(p + "jobs.running", engine, e -> e.runningJobs(type))
                    .description("Jobs running on this instance")
                    .tags(tags)
                    .register(registry);
        }
    }

    Counter rejected(RejectedJobException.Reason reason) {
        return Objects.requireNonNull(rejected.get(reason)); // every reason has one
    }

    Counter completed(JobEvent.Kind outcome) {
        return Objects.requireNonNull(completed.get(outcome)); // every outcome but RETRIED has one
    }

    Timer runTimer(JobEvent.Kind outcome) {
        return Objects.requireNonNull(runTimers.get(outcome)); // every outcome has one
    }

    /** This instance's share of the queue: its submits and retries, less its starts and queued cancels. */
    static final class QueuedCount {
        private final AtomicLong value = new AtomicLong();

        void increment() {
            value.incrementAndGet();
        }

        void decrement() {
            value.decrementAndGet();
        }

        double value() {
            return value.get();
        }
    }
}
