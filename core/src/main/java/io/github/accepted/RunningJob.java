package io.github.accepted;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of a job running on this instance: the handler's {@link JobContext}, and the
 * handle the engine uses to stop it.
 *
 * <p>The worker thread is interrupted only while the handler runs ({@link #finish()} closes
 * that window under the same lock), so a pool thread that has moved on to another job is never
 * interrupted by a late cancel.
 */
final class RunningJob implements JobContext {

    private final Dispatcher dispatcher;
    private final Job claimed;
    private final Thread thread;
    private volatile boolean cancelRequested;
    private volatile boolean shutdown;
    private volatile java.time.@Nullable Duration timedOutAfter;
    private boolean finished; // guarded by this
    private static final java.lang.invoke.VarHandle LATEST;

    static {
        try {
            LATEST = java.lang.invoke.MethodHandles.lookup().findVarHandle(RunningJob.class, "latest", Job.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Job latest;
    private volatile boolean outcomeQueued;

    RunningJob(Dispatcher dispatcher, Job claimed, Thread thread) {
        this.dispatcher = dispatcher;
        this.claimed = claimed;
        this.thread = thread;
        this.latest = claimed;
    }

    /**
     * The last version of the job this instance wrote or queued to write (the claim, then each
     * change; a progress report counts once queued, so the next change chains on it).
     */
    Job latest() {
        return latest;
    }

    void latest(Job job) {
        latest = job;
    }

    /** Sets the latest version to {@code job} if it still is {@code expected}; whether it was. */
    boolean latest(Job expected, Job job) {
        return LATEST.compareAndSet(this, expected, job);
    }

    /** The handler has returned and its outcome is being written. */
    void outcomeQueued() {
        outcomeQueued = true;
    }

    boolean isOutcomeQueued() {
        return outcomeQueued;
    }

    synchronized boolean isFinished() {
        return finished;
    }

    Job claimed() {
        return claimed;
    }

    @Override
    public JobId jobId() {
        return claimed.id();
    }

    @Override
    public int attempt() {
        return claimed.attempt();
    }

    @Override
    public java.util.Optional<String> owner() {
        return claimed.isAnonymous() ? java.util.Optional.empty() : java.util.Optional.of(claimed.owner());
    }

    @Override
    public void progress(int percent, String message) {
        dispatcher.recordProgress(this, new Progress(percent, Objects.requireNonNull(message, "message")));
    }

    @Override
    public void metadata(java.util.Map<String, ?> values) {
        byte[] json;
        try {
            json = dispatcher.mapper().writeValueAsBytes(Objects.requireNonNull(values, "values"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("metadata must be writable as JSON", e);
        }
        if (json.length > MAX_METADATA_BYTES) {
            throw new IllegalArgumentException("metadata is larger than " + MAX_METADATA_BYTES + " bytes as JSON");
        }
        dispatcher.recordMetadata(this, new Payload(Payload.JSON, json));
    }

    @Override
    public boolean isCancellationRequested() {
        return cancelRequested;
    }

    boolean stoppedByShutdown() {
        return shutdown;
    }

    /** The limit this attempt ran past, once it did. */
    java.util.Optional<java.time.Duration> timedOutAfter() {
        return java.util.Optional.ofNullable(timedOutAfter);
    }

    void markTimedOut(java.time.Duration limit) {
        timedOutAfter = limit;
    }

    /** Tells the handler to stop: sets the flag and interrupts its thread if it still runs. */
    synchronized void requestCancel(boolean byShutdown) {
        if (byShutdown) {
            shutdown = true;
        }
        cancelRequested = true;
        if (!finished) {
            thread.interrupt();
        }
    }

    /** Called by the worker thread when the handler has returned; clears any late interrupt. */
    void finish() {
        synchronized (this) {
            finished = true;
        }
        Thread.interrupted();
    }
}
