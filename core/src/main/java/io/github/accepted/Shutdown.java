package io.github.accepted;

import io.github.accepted.spi.JobExecutor;
import io.github.accepted.spi.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's shutdown sequence, run once by {@link Accepted#close()} after intake stopped:
 * give prefetched jobs back, let running jobs finish for up to the shutdown timeout, interrupt
 * those left and record them, fail the queued jobs of a store that is not durable, then stop the
 * engine's threads, callbacks, executor and store, in that order.
 */
final class Shutdown {

    /** Time interrupted jobs get to stop before they are recorded as failed: 1 second. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(Accepted.class);

    private final JobStore store;
    private final JobExecutor executor;
    private final Dispatcher dispatcher;
    private final Maintenance maintenance;
    private final EngineThreads threads;
    private final @Nullable CallbackEngine callbacks;
    private final Events events;
    private final Clock clock;
    private final Duration retention;
    private final Duration timeout;
    private final Set<String> jobTypes;

    Shutdown(
            JobStore store,
            JobExecutor executor,
            Dispatcher dispatcher,
            Maintenance maintenance,
            EngineThreads threads,
            @Nullable CallbackEngine callbacks,
            Events events,
            Clock clock,
            Duration retention,
            Duration timeout,
            Set<String> jobTypes) {
        this.store = store;
        this.executor = executor;
        this.dispatcher = dispatcher;
        this.maintenance = maintenance;
        this.threads = threads;
        this.callbacks = callbacks;
        this.events = events;
        this.clock = clock;
        this.retention = retention;
        this.timeout = timeout;
        this.jobTypes = Set.copyOf(jobTypes);
    }

    /** Runs the sequence; intake has stopped already. Not idempotent: the engine calls it once. */
    void run() {
        dispatcher.stopDispatching();
        maintenance.stop(); // heartbeats and job timeouts go on
        if (dispatcher.runningCount() > 0) {
            LOG.info("closing: waiting up to {} for {} running jobs", timeout, dispatcher.runningCount());
        }
        if (!dispatcher.awaitIdle(timeout)) {
            LOG.info("{} jobs still running after {}; interrupting them", dispatcher.runningCount(), timeout);
            dispatcher.interruptAllForShutdown();
            if (!dispatcher.awaitIdle(GRACE)) {
                dispatcher.endRunningForShutdown();
            }
        }
        if (!store.durable()) {
            failQueued();
        }
        threads.shutdown(); // the heartbeat stops only now: no job runs here any more
        if (callbacks != null) {
            callbacks.close();
        }
        executor.shutdown(GRACE);
        store.close();
    }

    private void failQueued() {
        int failed = 0;
        while (true) {
            Optional<Job> next = store.claimNext(clock.instant(), jobTypes);
            if (next.isEmpty()) {
                break;
            }
            Job job = next.get();
            Job notStarted = job.failed(JobProblems.notStartedBeforeShutdown(), clock.instant(), retention);
            if (store.replace(job, notStarted)) {
                events.endedInQueue(notStarted);
                LOG.warn("job {} (type {}) was still queued at shutdown; recorded as failed", job.id(), job.type());
                failed++;
            }
        }
        if (failed > 0) {
            LOG.warn("{} queued jobs failed at shutdown: the in-memory store keeps nothing across restarts", failed);
        }
    }
}
