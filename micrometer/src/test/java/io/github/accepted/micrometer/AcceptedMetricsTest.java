package io.github.accepted.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.accepted.Accepted;
import io.github.accepted.Job;
import io.github.accepted.JobFailedException;
import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.RejectedJobException;
import io.github.accepted.internal.EngineInternals;
import io.github.accepted.spi.JobExecutor;
import io.github.accepted.spi.JobStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * After a known sequence of jobs every meter has its exact value; timers measure with the
 * engine's clock, which only the handlers move here (each run takes exactly two seconds).
 */
class AcceptedMetricsTest {

    record Work(String name, boolean fail) {}

    private static final Duration RUN = Duration.ofSeconds(2);

    private final MutableClock clock = new MutableClock();
    private final Semaphore go = new Semaphore(0);
    private Accepted accepted;

    @AfterEach
    void close() {
        go.release(100);
        if (accepted != null) {
            accepted.close();
        }
    }

    private Accepted engine(MeterRegistry registry) {
        return Accepted.builder()
                .listener(AcceptedMetrics.of(registry))
                .clock(clock)
                .store(JobStore.inMemory(3, 100))
                .executor(JobExecutor.fixedThreadPool(1))
                .handler("work", Work.class, (in, ctx) -> {
                    if (!go.tryAcquire(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                    clock.advance(RUN);
                    if (in.fail()) {
                        throw new JobFailedException("asked to fail");
                    }
                    return in.name();
                })
                .build();
    }

    private Job awaitStatus(JobId id, JobStatus status) {
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> accepted.find(id, "").orElseThrow(), job -> job.status() == status);
    }

    /**
     * a runs at once; b, c, e, g are queued at t0 (the queue holds 3: one refused while c waits);
     * c is canceled; then a, b, e, g run one after the other, each for 2 s: a 0–2, b 2–4,
     * e 4–6 (fails), g 6–8. Last, h starts at once and keeps running while a client long-polls it.
     */
    private void knownSequence() {
        Job a = accepted.submit("work", "", new Work("a", false));
        awaitStatus(a.id(), JobStatus.RUNNING);
        Job b = accepted.submit("work", "", new Work("b", false));
        Job c = accepted.submit("work", "", new Work("c", false));
        Job e = accepted.submit("work", "", new Work("e", true));
        assertThatThrownBy(() -> accepted.submit("work", "", new Work("d", false)))
                .isInstanceOf(RejectedJobException.class);
        accepted.cancel(c.id(), "");
        Job g = accepted.submit("work", "", new Work("g", false));
        go.release(4);
        awaitStatus(a.id(), JobStatus.SUCCEEDED);
        awaitStatus(b.id(), JobStatus.SUCCEEDED);
        awaitStatus(e.id(), JobStatus.FAILED);
        awaitStatus(g.id(), JobStatus.SUCCEEDED);
        Job h = accepted.submit("work", "", new Work("h", false));
        Job running = awaitStatus(h.id(), JobStatus.RUNNING);
        CompletableFuture<Optional<Job>> poll = EngineInternals.of(accepted)
                .awaitChange(h.id(), "", running.version(), Duration.ofSeconds(30), io.github.accepted.spi.Fetch.ALL);
        assertThat(poll).as("the client still waits: h keeps running").isNotDone();
    }

    @Test
    void afterAKnownSequence_everyMeterHasItsExactValue() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        accepted = engine(registry);
        knownSequence();
        await().until(() -> registry.get("accepted.jobs.completed")
                        .tag("outcome", "succeeded")
                        .counter()
                        .count()
                == 3);

        assertThat(registry.get("accepted.jobs.submitted")
                        .tag("type", "work")
                        .counter()
                        .count())
                .isEqualTo(6);
        assertThat(registry.get("accepted.jobs.rejected")
                        .tags("type", "work", "reason", "queue-full")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("accepted.jobs.rejected")
                        .tags("type", "work", "reason", "shutting-down")
                        .counter()
                        .count())
                .isZero();
        assertThat(registry.get("accepted.jobs.completed")
                        .tags("type", "work", "outcome", "succeeded")
                        .counter()
                        .count())
                .isEqualTo(3);
        assertThat(registry.get("accepted.jobs.completed")
                        .tags("type", "work", "outcome", "failed")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("accepted.jobs.completed")
                        .tags("type", "work", "outcome", "canceled")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("accepted.jobs.retried").counter().count()).isZero();
        assertThat(registry.get("accepted.jobs.recovered").counter().count()).isZero();
        assertThat(registry.get("accepted.jobs.expired").counter().count()).isZero();
        assertThat(registry.get("accepted.jobs.queued")
                        .tag("type", "work")
                        .gauge()
                        .value())
                .isZero();
        assertThat(registry.get("accepted.jobs.running")
                        .tag("type", "work")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(registry.get("accepted.clients.waiting").gauge().value()).isEqualTo(1);
        assertThat(registry.find("accepted.store.errors").counters()).isEmpty();
    }

    @Test
    void timers_recordTheTimeInQueue_andTheRunTime_byTheEnginesClock() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        accepted = engine(registry);
        knownSequence();
        await().until(() -> registry.get("accepted.jobs.completed")
                        .tag("outcome", "succeeded")
                        .counter()
                        .count()
                == 3);

        // a waited 0 s, b 2 s, e 4 s, g 6 s, h 0 s (the canceled c never started)
        Timer wait = registry.get("accepted.jobs.wait").tag("type", "work").timer();
        assertThat(wait.count()).isEqualTo(5);
        assertThat(wait.totalTime(TimeUnit.SECONDS)).isEqualTo(12.0);
        assertThat(wait.max(TimeUnit.SECONDS)).isEqualTo(6.0);
        Timer succeeded = registry.get("accepted.jobs.run")
                .tags("type", "work", "outcome", "succeeded")
                .timer();
        assertThat(succeeded.count()).isEqualTo(3);
        assertThat(succeeded.totalTime(TimeUnit.SECONDS)).isEqualTo(6.0);
        Timer failed = registry.get("accepted.jobs.run")
                .tags("type", "work", "outcome", "failed")
                .timer();
        assertThat(failed.count()).isEqualTo(1);
        assertThat(failed.totalTime(TimeUnit.SECONDS)).isEqualTo(2.0);
        assertThat(registry.get("accepted.jobs.run")
                        .tags("type", "work", "outcome", "canceled")
                        .timer()
                        .count())
                .isZero();
    }

    @Test
    void prometheus_scrapesTheMetersUnderTheirPrometheusNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        accepted = engine(registry);
        knownSequence();
        await().until(() -> registry.get("accepted.jobs.completed")
                        .tag("outcome", "succeeded")
                        .counter()
                        .count()
                == 3);

        String scrape = registry.scrape();
        assertThat(scrape)
                .contains("accepted_jobs_submitted_total{type=\"work\"} 6")
                .contains("accepted_jobs_rejected_total{reason=\"queue-full\",type=\"work\"} 1")
                .contains("accepted_jobs_completed_total{outcome=\"succeeded\",type=\"work\"} 3")
                .contains("accepted_jobs_completed_total{outcome=\"failed\",type=\"work\"} 1")
                .contains("accepted_jobs_completed_total{outcome=\"canceled\",type=\"work\"} 1")
                .contains("accepted_jobs_queued{type=\"work\"} 0")
                .contains("accepted_jobs_running{type=\"work\"} 1")
                .contains("accepted_clients_waiting 1")
                .contains("accepted_jobs_wait_seconds_count{type=\"work\"} 5")
                .contains("accepted_jobs_wait_seconds_sum{type=\"work\"} 12")
                .contains("accepted_jobs_run_seconds_sum{outcome=\"succeeded\",type=\"work\"} 6");
    }
}
