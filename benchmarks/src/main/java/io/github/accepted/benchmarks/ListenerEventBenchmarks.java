package io.github.accepted.benchmarks;

import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.micrometer.AcceptedMetrics;
import io.github.accepted.spi.EngineGauges;
import io.github.accepted.spi.JobEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link AcceptedMetrics} adds per job, alone: the three events of a job that succeeds
 * (submitted, started, succeeded) handed to it, on a Prometheus registry. Nanoseconds per job.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx1g"})
public class ListenerEventBenchmarks {

    private AcceptedMetrics metrics;
    private JobEvent submitted;
    private JobEvent started;
    private JobEvent succeeded;

    @Setup
    public void setUp() {
        metrics = AcceptedMetrics.of(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        metrics.attached(new EngineGauges() {
            @Override
            public Set<String> jobTypes() {
                return Set.of("noop");
            }

            @Override
            public int runningJobs(String type) {
                return 0;
            }

            @Override
            public int waitingClients() {
                return 0;
            }
        });
        JobId id = JobId.random();
        Instant now = Instant.now();
        submitted = new JobEvent(
                JobEvent.Kind.SUBMITTED,
                id,
                "noop",
                0,
                now,
                now,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        started = new JobEvent(
                JobEvent.Kind.STARTED,
                id,
                "noop",
                1,
                now,
                now,
                Optional.of(JobStatus.QUEUED),
                Optional.of(Duration.ofMillis(3)),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        succeeded = new JobEvent(
                JobEvent.Kind.SUCCEEDED,
                id,
                "noop",
                1,
                now,
                now,
                Optional.of(JobStatus.RUNNING),
                Optional.empty(),
                Optional.of(Duration.ofMillis(20)),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    @Benchmark
    public void eventsOfOneJob() {
        metrics.onEvent(submitted);
        metrics.onEvent(started);
        metrics.onEvent(succeeded);
    }
}
