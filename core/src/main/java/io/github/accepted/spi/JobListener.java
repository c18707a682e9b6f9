package io.github.accepted.spi;

/**
 * Hears what happens to jobs: for metrics, traces, audit logs or callbacks. Register with
 * {@code Accepted.builder().listener(...)}.
 *
 * <p><b>Listeners must be cheap and must not block.</b> They are called synchronously, on the
 * thread where the event happened: a request thread (submitted, rejected, canceled while
 * queued), a worker thread (started, progress, outcome) or one of the engine's own threads
 * (timeouts, recovery). Increment a counter, record a timer, hand work to a queue of your own;
 * never call a remote system inline. A listener that throws is logged and skipped: the job and
 * the other listeners carry on. Listeners of one engine are called in the order registered;
 * they must be thread-safe.
 */
public interface JobListener {

    /** Something happened to a job. */
    void onEvent(JobEvent event);

    /**
     * A store call failed. {@code operation} is one of a small fixed set: {@code create},
     * {@code claim}, {@code record}, {@code heartbeat}, {@code recover}, {@code purge}. The
     * engine handles the failure itself (retries, or answers 503); this is for counting.
     * The default does nothing.
     */
    default void onStoreError(String operation, RuntimeException error) {}

    /**
     * Called once, when the engine this listener is registered with is built: {@code engine}
     * may be sampled at any time after (gauges), from any thread. The default does nothing.
     */
    default void attached(EngineGauges engine) {}
}
