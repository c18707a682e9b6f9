package io.github.accepted;

import io.github.accepted.spi.Heartbeat;
import io.github.accepted.spi.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases: renews those of the jobs running or prefetched here (on the heartbeat thread), passes
 * on what the renewal learns (a cancellation asked elsewhere, a lease another instance took
 * back), takes back the jobs of instances that stopped renewing theirs, and looks when another
 * instance changed a job that runs here.
 */
final class Leases {

    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

    private final Dispatcher dispatcher;
    private final JobStore store;
    private final Map<JobId, RunningJob> running;
    private final PrefetchBuffer prefetched;
    private final Map<String, HandlerRegistration<?, ?>> handlers;
    private final Clock clock;
    private final Duration retention;
    private final EngineThreads threads;
    private final Events events;

    Leases(
            Dispatcher dispatcher,
            JobStore store,
            Map<JobId, RunningJob> running,
            PrefetchBuffer prefetched,
            Map<String, HandlerRegistration<?, ?>> handlers,
            Clock clock,
            Duration retention,
            EngineThreads threads,
            Events events) {
        this.dispatcher = dispatcher;
        this.store = store;
        this.running = running;
        this.prefetched = prefetched;
        this.handlers = handlers;
        this.clock = clock;
        this.retention = retention;
        this.threads = threads;
        this.events = events;
    }

    /** Renews the leases of the jobs running here; passes on cancellations and lost leases. */
    void heartbeat() {
        List<Job> mine = new ArrayList<>(running.size() + prefetched.size());
        running.values().forEach(context -> mine.add(context.claimed()));
        prefetched.addAllTo(mine);
        if (mine.isEmpty()) {
            return;
        }
        Heartbeat beat;
        try {
            beat = store.heartbeat(mine, clock.instant());
        } catch (RuntimeException e) {
            events.storeError("heartbeat", e);
            throw e;
        }
        beat.cancelRequested().forEach(dispatcher::signalCancel);
        for (JobId lost : beat.lost()) {
            if (prefetched.remove(lost).isPresent()) {
                LOG.warn("lost the lease of prefetched job {}; another instance took it back", lost);
                continue;
            }
            RunningJob context = running.get(lost);
            // a job that finished since the snapshot no longer holds a lease: not lost
            if (context != null && !context.isFinished()) {
                LOG.warn("lost the lease of job {}; another instance took it back", lost);
                context.requestCancel(false);
            }
        }
    }

    /** Takes back jobs whose instance stopped renewing their lease: retries them, or fails them. */
    int recoverExpiredLeases() {
        try {
            return recoverExpiredLeasesNow();
        } catch (RuntimeException e) {
            events.storeError("recover", e);
            throw e;
        }
    }

    private int recoverExpiredLeasesNow() {
        int recovered = 0;
        Instant now = clock.instant();
        for (Job expired : store.expiredLeases(now, 100)) {
            RunningJob local = running.get(expired.id());
            if (local != null && local.claimed().attempt() == expired.attempt()) {
                continue; // still running here (a heartbeat failed): the next heartbeat renews it
            }
            HandlerRegistration<?, ?> registration = handlers.get(expired.type());
            RetryPolicy policy = registration == null
                    ? RetryPolicy.DEFAULT
                    : registration.handler().retryPolicy();
            Job next;
            // a lost instance is not the job's fault: no backoff, though the attempt counts
            Instant runAfter = now;
            if (expired.attempt() < policy.maxAttempts()) {
                next = expired.requeued(now);
            } else {
                next = expired.failed(JobProblems.abandoned(expired.attempt()), now, retention);
            }
            if (store.reclaim(expired, next, now, runAfter)) {
                events.recovered(expired, next);
                LOG.info(
                        "took back job {} after attempt {} lost its lease: {}",
                        expired.id(),
                        expired.attempt(),
                        next.status().wireName());
                recovered++;
            }
        }
        if (recovered > 0) {
            dispatcher.pump();
        }
        return recovered;
    }

    /**
     * Another instance changed a job running here: it asked to cancel it, or it took the job back
     * (this instance was thought gone). Looks (on an I/O thread; this is called on the store's
     * notification thread), and tells the handler to stop; its late outcome fails the
     * compare-and-set and is dropped.
     */
    void changedElsewhere(JobId id) {
        if (prefetched.contains(id)) {
            threads.tryIo(() -> store.find(id).ifPresent(job -> {
                if (job.cancelRequested()) {
                    dispatcher.signalCancel(id);
                } else if (job.status() != JobStatus.RUNNING || job.version() != prefetched.version(id)) {
                    prefetched.remove(id); // taken over elsewhere: not ours to start any more
                }
            }));
            return;
        }
        RunningJob context = running.get(id);
        if (context != null && !context.isCancellationRequested()) {
            threads.tryIo(() -> store.find(id)
                    .filter(job -> job.cancelRequested()
                            || job.status() != JobStatus.RUNNING
                            || job.attempt() != context.claimed().attempt())
                    .ifPresent(job -> {
                        if (!job.cancelRequested() && !context.isFinished()) {
                            LOG.warn(
                                    "job {} attempt {} was taken over elsewhere; telling its handler to stop",
                                    id,
                                    context.claimed().attempt());
                        }
                        context.requestCancel(false);
                    }));
        }
    }
}
