package io.github.accepted.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.github.accepted.Accepted;
import io.github.accepted.Job;
import io.github.accepted.JobFailedException;
import io.github.accepted.JobStatus;
import io.github.accepted.postgres.PostgresJobStore;
import io.github.accepted.spi.JobExecutor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job submitted on instance A, inside the submitting request's span, runs on instance B (one
 * PostgreSQL): its wait and run spans are children of the submit's span, in the same trace,
 * and the run span carries the outcome.
 */
class TraceAcrossInstancesTest {

    record Report(String name, boolean fail) {}

    record Hold(String name) {}

    private static SharedDatabase database;

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    private final OpenTelemetrySdk otel =
            OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
    private final Tracer tracer = otel.getTracer("test");
    private final CountDownLatch releaseHold = new CountDownLatch(1);
    private final AtomicReference<String> ranOn = new AtomicReference<>();
    private final AtomicReference<Span> currentInHandler = new AtomicReference<>();
    private HikariDataSource poolA;
    private HikariDataSource poolB;
    private Accepted a;
    private Accepted b;

    @BeforeAll
    static void startDatabase() throws Exception {
        database = new SharedDatabase();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        database.close();
    }

    @AfterEach
    void close() {
        releaseHold.countDown();
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (poolA != null) {
            poolA.close();
            poolB.close();
        }
        tracerProvider.close();
    }

    private Accepted instance(String name, HikariDataSource pool, boolean holds) {
        Accepted.Builder builder = Accepted.builder()
                .store(PostgresJobStore.builder(pool).instanceId(name).build())
                .executor(JobExecutor.fixedThreadPool(1))
                .pollInterval(Duration.ofMillis(50))
                .propagator(AcceptedTracing.of(otel))
                .handler("report", Report.class, (in, ctx) -> {
                    ranOn.set(name);
                    currentInHandler.set(Span.current());
                    tracer.spanBuilder("render").startSpan().end();
                    if (in.fail()) {
                        throw new JobFailedException("no data for " + in.name());
                    }
                    return in.name();
                });
        if (holds) {
            builder.handler("hold", Hold.class, (in, ctx) -> releaseHold.await(30, TimeUnit.SECONDS));
        }
        return builder.build();
    }

    /** A holds its only worker with a job of its own, so that what it queues next runs on B. */
    private void twoInstances() throws Exception {
        String shared = database.newDatabase();
        poolA = database.pool(shared, "a");
        poolB = database.pool(shared, "b");
        a = instance("a", poolA, true);
        Job hold = a.submit("hold", "", new Hold("keep a busy"));
        // stored claimed by A, or (when A's 50 ms poll held the worker's permit at that moment)
        // queued and claimed by A's next poll: B does not exist yet, so A runs it either way
        await().atMost(Duration.ofSeconds(10))
                .until(() -> a.find(hold.id(), "").map(Job::status).orElse(null) == JobStatus.RUNNING);
        b = instance("b", poolB, false);
    }

    private Job submitInARequestSpan(Report input, AtomicReference<Span> submitSpan) {
        Span request =
                tracer.spanBuilder("POST /reports").setSpanKind(SpanKind.SERVER).startSpan();
        submitSpan.set(request);
        try (Scope ignored = request.makeCurrent()) {
            return a.submit("report", "", input);
        } finally {
            request.end();
        }
    }

    private SpanData span(String name) {
        await().atMost(Duration.ofSeconds(30)).until(() -> exporter.getFinishedSpanItems().stream()
                .anyMatch(s -> s.getName().equals(name)));
        return exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void submitOnA_runOnB_shareOneTrace_waitAndRunAreChildrenOfTheSubmit_andTheHandlersSpansNestInTheRun()
            throws Exception {
        twoInstances();
        AtomicReference<Span> submit = new AtomicReference<>();
        Job job = submitInARequestSpan(new Report("q3", false), submit);
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.propagation()).containsKey("traceparent");

        SpanData run = span("run report");
        SpanData waited = span("wait report");
        SpanData render = span("render");
        String traceId = submit.get().getSpanContext().getTraceId();
        String submitSpanId = submit.get().getSpanContext().getSpanId();
        assertThat(ranOn.get()).isEqualTo("b");
        assertThat(run.getTraceId()).isEqualTo(traceId);
        assertThat(run.getParentSpanId()).isEqualTo(submitSpanId);
        assertThat(run.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(run.getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
        assertThat(run.getAttributes().get(AcceptedTracing.OUTCOME)).isEqualTo("succeeded");
        assertThat(run.getAttributes().get(AcceptedTracing.JOB_ID))
                .isEqualTo(job.id().value());
        assertThat(run.getLinks()).isEmpty();
        assertThat(waited.getTraceId()).isEqualTo(traceId);
        assertThat(waited.getParentSpanId()).isEqualTo(submitSpanId);
        assertThat(render.getTraceId()).isEqualTo(traceId);
        assertThat(render.getParentSpanId()).isEqualTo(run.getSpanId());
        assertThat(currentInHandler.get().getSpanContext().getSpanId()).isEqualTo(run.getSpanId());
        Job done = await().until(() -> b.find(job.id(), "").orElseThrow(), j -> j.status()
                .isTerminal());
        assertThat(waited.getStartEpochNanos()).isEqualTo(nanos(done.createdAt()));
        assertThat(waited.getEndEpochNanos()).isEqualTo(nanos(done.startedAt().orElseThrow()));
        assertThat(run.getEndEpochNanos()).isEqualTo(nanos(done.finishedAt().orElseThrow()));
    }

    @Test
    void aFailedJob_endsItsRunSpanWithErrorStatus() throws Exception {
        twoInstances();
        AtomicReference<Span> submit = new AtomicReference<>();
        submitInARequestSpan(new Report("empty", true), submit);

        SpanData run = span("run report");
        assertThat(run.getTraceId()).isEqualTo(submit.get().getSpanContext().getTraceId());
        assertThat(run.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(run.getAttributes().get(AcceptedTracing.OUTCOME)).isEqualTo("failed");
    }

    @Test
    void aJobSubmittedWithoutASpan_runsInATraceOfItsOwn() throws Exception {
        twoInstances();
        Job job = a.submit("report", "", new Report("nightly", false));
        assertThat(job.propagation()).isEmpty();

        SpanData run = span("run report");
        assertThat(run.getParentSpanContext().isValid()).isFalse();
        assertThat(Optional.ofNullable(ranOn.get())).contains("b");
    }

    private static long nanos(java.time.Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
