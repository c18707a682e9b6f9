package io.github.accepted.micrometer;

import io.github.accepted.spi.EngineGauges;
import io.github.accepted.spi.JobEvent;
import io.github.accepted.spi.JobListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of an Accepted engine, kept by listening to its events. Register it as a
 * listener; the meters appear in {@code registry}:
 *
 * <pre>{@code
 * Accepted accepted = Accepted.builder()
 *     .listener(AcceptedMetrics.of(registry))
 *     .handler("report", ReportRequest.class, new ReportGenerator())
 *     .build();
 * }</pre>
 *
 * <p>Meters are tagged by job type (the registered handler names: a bounded set), and by
 * outcome, rejection reason or store operation where they apply; never by job id or owner.
 * docs/observability.md lists every meter. Per event this costs a map lookup and a counter or
 * timer update: no allocation beyond Micrometer's own, no lock, no I/O. Thread-safe.
 *
 * <p>One instance per engine: its gauges read the engine it was attached to.
 */
public final class AcceptedMetrics implements JobListener {

    /** Prefix of every meter's name. */
    public static final String PREFIX = "accepted.";

    private final MeterRegistry registry;
    private final Map<String, TypeMeters> byType = new ConcurrentHashMap<>();
    private final Map<String, Counter> storeErrors = new ConcurrentHashMap<>();
    private volatile @Nullable EngineGauges engine;

    private AcceptedMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Meters in {@code registry}; register the result with {@code Accepted.Builder.listener}. */
    public static AcceptedMetrics of(MeterRegistry registry) {
        return new AcceptedMetrics(registry);
    }

    /** Registers the gauges, and every meter of each job type at zero. */
    @Override
    public void attached(EngineGauges gauges) {
        if (engine != null) {
            throw new IllegalStateException("AcceptedMetrics is attached to an engine already; make one per engine");
        }
        engine = gauges;
        Gauge.builder(PREFIX + "clients.waiting", gauges, EngineGauges::waitingClients)
                .description("Clients waiting on this instance for a job to change (long-polls)")
                .register(registry);
        gauges.jobTypes().forEach(this::meters);
    }

    @Override
    public void onEvent(JobEvent event) {
        TypeMeters meters = meters(event.type());
        switch (event.kind()) {
            case SUBMITTED -> {
                meters.submitted.increment();
                meters.queued.increment();
            }
            case REJECTED -> meters.rejected(event.rejection().orElseThrow()).increment();
            case STARTED -> {
                meters.queued.decrement();
                if (event.attempt() == 1) {
                    meters.waitTimer.record(event.waited().orElseThrow());
                }
            }
            case SUCCEEDED, FAILED, CANCELED, RETRIED -> {
                if (event.leftQueue()) {
                    meters.queued.decrement();
                }
                if (event.kind() == JobEvent.Kind.RETRIED) {
                    meters.retried.increment();
                    meters.queued.increment();
                } else {
                    meters.completed(event.kind()).increment();
                }
                event.ran().ifPresent(ran -> meters.runTimer(event.kind()).record(ran));
            }
            case RECOVERED -> meters.recovered.increment();
            case EXPIRED -> meters.expired.increment();
            case PROGRESS -> {
                // progress is for pollers; nothing to count
            }
        }
    }

    @Override
    public void onStoreError(String operation, RuntimeException error) {
        storeErrors
                .computeIfAbsent(operation, op -> Counter.builder(PREFIX + "store.errors")
                        .description("Store calls that failed, by operation")
                        .tag("operation", op)
                        .register(registry))
                .increment();
    }

    private TypeMeters meters(String type) {
        TypeMeters meters = byType.get(type);
        return meters != null ? meters : byType.computeIfAbsent(type, t -> new TypeMeters(registry, t, engine));
    }

    /** A rejection reason as a tag value: {@code QUEUE_FULL} is {@code queue-full}. */
    static String tagValue(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Tags typeTag(String type) {
        return Tags.of("type", type);
    }

    static String outcome(JobEvent.Kind kind) {
        return tagValue(kind);
    }
}
