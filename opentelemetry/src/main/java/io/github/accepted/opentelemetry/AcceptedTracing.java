package io.github.accepted.opentelemetry;

import io.github.accepted.Job;
import io.github.accepted.spi.JobContextPropagator;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Carries the submitting request's OpenTelemetry trace across the queue. Register it as a
 * propagator:
 *
 * <pre>{@code
 * Accepted accepted = Accepted.builder()
 *     .propagator(AcceptedTracing.of(openTelemetry))
 *     .handler("report", ReportRequest.class, new ReportGenerator())
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li>At submit, the current span's context is written as W3C {@code traceparent} (and
 *       {@code tracestate}) and stored with the job: in PostgreSQL, any instance can read it.</li>
 *   <li>When the job runs, on whichever instance, two spans are made <em>children</em> of the
 *       submit's span: {@code wait <type>} (from the submit to the first start, drawn from the
 *       job's stored timestamps) and {@code run <type>} (a {@code CONSUMER} span, current while
 *       the handler runs, so the handler's own spans and log correlation nest under it). The
 *       run span ends with the outcome: status {@code ERROR} when the job failed, the outcome in
 *       the {@code accepted.job.outcome} attribute.</li>
 * </ul>
 *
 * <p>Parent-child, not a span link: one submit makes one job, and the submitter's trace is the
 * one an operator looks for ("where did this request's work go?"). A link would start a new trace
 * per run, which a backend shows apart from the request. A job submitted without a current span
 * runs in a trace of its own. Thread-safe; cheap: no I/O, a few small allocations per job.
 */
public final class AcceptedTracing implements JobContextPropagator {

    /** The tracer's instrumentation scope name. */
    public static final String SCOPE = "io.github.accepted";

    static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("accepted.job.id");
    static final AttributeKey<String> JOB_TYPE = AttributeKey.stringKey("accepted.job.type");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("accepted.job.attempt");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("accepted.job.outcome");

    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public @Nullable String get(@Nullable Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;

    private AcceptedTracing(OpenTelemetry openTelemetry) {
        this.tracer = Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(SCOPE);
    }

    /** Traces through {@code openTelemetry}'s tracer provider. */
    public static AcceptedTracing of(OpenTelemetry openTelemetry) {
        return new AcceptedTracing(openTelemetry);
    }

    /** The current span's context as {@code traceparent}/{@code tracestate}; empty without one. */
    @Override
    public Map<String, String> capture(String type) {
        Context current = Context.current();
        if (!Span.fromContext(current).getSpanContext().isValid()) {
            return Map.of();
        }
        Map<String, String> carrier = new HashMap<>(4);
        W3C.inject(current, carrier, Map::put);
        return carrier;
    }

    @Override
    @SuppressWarnings("MustBeClosedChecker") // the scope is closed by the returned RunScope, when the run ends
    public RunScope open(Job job) {
        Context parent = W3C.extract(Context.root(), job.propagation(), GETTER);
        Instant start = job.startedAt().orElse(job.updatedAt());
        if (job.attempt() == 1) {
            tracer.spanBuilder("wait " + job.type())
                    .setParent(parent)
                    .setSpanKind(SpanKind.INTERNAL)
                    .setStartTimestamp(job.createdAt())
                    .setAttribute(JOB_ID, job.id().value())
                    .setAttribute(JOB_TYPE, job.type())
                    .startSpan()
                    .end(start);
        }
        Span run = tracer.spanBuilder("run " + job.type())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setStartTimestamp(start)
                .setAttribute(JOB_ID, job.id().value())
                .setAttribute(JOB_TYPE, job.type())
                .setAttribute(ATTEMPT, (long) job.attempt())
                .startSpan();
        Scope scope = run.makeCurrent();
        return last -> {
            scope.close();
            run.setAttribute(OUTCOME, last.status().wireName());
            switch (last.status()) {
                case FAILED ->
                    run.setStatus(
                            StatusCode.ERROR,
                            last.error()
                                    .map(problem -> problem.title() + ": " + problem.type())
                                    .orElse("failed"));
                case SUCCEEDED -> run.setStatus(StatusCode.OK);
                case CANCELED, QUEUED, RUNNING -> {
                    // canceled is not an error; queued: retried; running: the attempt ended elsewhere
                }
            }
            if (last.status() == io.github.accepted.JobStatus.RUNNING) {
                run.end(); // ended elsewhere: this instance knows no end time of its own
            } else {
                run.end(last.updatedAt()); // the engine's clock, as the start
            }
        };
    }
}
