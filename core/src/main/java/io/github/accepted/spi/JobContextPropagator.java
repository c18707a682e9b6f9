package io.github.accepted.spi;

import io.github.accepted.Job;
import java.util.Map;

/**
 * Carries context from the request that submits a job to every run of it, on whichever
 * instance runs it: a trace ({@code traceparent}, {@code tracestate}), or chosen logging keys.
 * Register with {@code Accepted.builder().propagator(...)}; core itself knows no tracing library
 * ({@code accepted-opentelemetry} has one for OpenTelemetry).
 *
 * <p>At submit, on the submitting thread, {@link #capture(String)} returns a few short strings;
 * they are stored with the job ({@link Job#propagation()}: a field in memory, a column in
 * PostgreSQL). When the job runs, {@link #open(Job)} is called on the worker thread just before
 * the handler, and the scope it returns is closed on the same thread after the outcome is
 * recorded. Both must be cheap and must not block; an exception from either is logged and
 * ignored (the job runs without that context).
 */
public interface JobContextPropagator {

    /**
     * The entries to store with a job of {@code type} being submitted on this thread now;
     * empty for none. Keys and values are short strings (at most 64 and 512 characters; entries
     * beyond the limits are dropped with a warning). Keys should be namespaced (say
     * {@code traceparent}, {@code mdc.requestId}): every propagator's entries share one map.
     */
    Map<String, String> capture(String type);

    /**
     * Restores the context of {@code job} (claimed for a new attempt; its
     * {@link Job#propagation()} as captured) on the worker thread, before the handler runs.
     */
    RunScope open(Job job);

    /** What {@link #open(Job)} set up; closed once, on the same thread. */
    @FunctionalInterface
    interface RunScope {

        /** A scope that does nothing. */
        RunScope NONE = last -> {};

        /**
         * Ends the scope after the attempt: {@code last} is the job as this instance last
         * recorded it (succeeded, failed, canceled, queued again for a retry; still running
         * if the attempt was ended elsewhere, its lease taken back). With a store that writes
         * outcomes in batches ({@link JobStore#replaceAsync}), the worker closes the scope as soon
         * as the outcome is queued: {@code last} is then the outcome being written, before its
         * commit.
         */
        void close(Job last);
    }

    /**
     * Copies the given SLF4J MDC keys of the submitting thread into the job's runs, stored as
     * {@code mdc.<key>}. By default nothing of the submitter's MDC reaches a worker thread.
     */
    static JobContextPropagator mdc(String... keys) {
        return new MdcPropagator(keys);
    }
}
