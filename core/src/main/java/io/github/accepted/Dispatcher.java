package io.github.accepted;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accepted.spi.ClaimDemand;
import io.github.accepted.spi.JobExecutor;
import io.github.accepted.spi.JobStore;
import io.github.accepted.spi.StoreUnavailableException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves queued jobs to workers and records how each attempt ends.
 *
 * <p>At most {@code executor.concurrency()} jobs run at once (a semaphore). {@link #pump()}
 * ("work may be queued") is called after a job is queued here, when the store says another
 * instance queued work, and periodically; one thread at a time drains the queue while permits
 * last, and a call that arrives meanwhile makes it drain again, so no wake-up is lost. A job
 * that ends drains again only if work may have been queued since a claim last came back short
 * (a counter of signals, not a flag, so a signal during a claim is never lost): an idle queue
 * costs no claim per job.
 *
 * <p>Claim-ahead: a claim asks for the free workers plus up to {@code prefetch} more, which wait
 * here (claimed, under this instance's lease) for the next worker to become free; a worker whose
 * job ends takes the next one from here without a round trip to the store. The prefetched jobs
 * are refilled when half of them are gone, their leases are renewed with the running jobs', a
 * cancellation or a lease lost elsewhere takes them out, and they go back to the queue (one
 * {@link JobStore#release} call) when dispatching stops. At most {@code prefetch} wait here.
 *
 * <p>Outcomes are recorded with {@link JobStore#replaceAsync}: with a store that batches them,
 * the worker is free once the outcome is queued, and the job stays running here (leases,
 * {@link #awaitIdle}) until it is written; only then is it reported. A store that claims with
 * its outcome writes ({@link JobStore#onClaimDemand}) is left the freed worker's room: the
 * flush that writes the outcome claims the next job in its transaction.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final JobStore store;
    private final JobExecutor executor;
    private final Map<String, HandlerRegistration<?, ?>> handlers;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Duration retention;
    private final RunTimes runTimes;
    private final EngineThreads threads;
    private final Events events;
    private final RunScopes scopes;
    private final Semaphore permits;
    private final AtomicInteger pumpRequests = new AtomicInteger();
    private final AtomicLong workSignals = new AtomicLong(1);
    private final AtomicLong drainedUpTo = new AtomicLong();
    private final Map<JobId, RunningJob> running = new ConcurrentHashMap<>();
    private final Object idle = new Object();
    private final int prefetch;
    /** Claimed jobs waiting for a worker; at most {@link #prefetch}. */
    private final PrefetchBuffer prefetched = new PrefetchBuffer();

    private volatile boolean dispatching = true;
    /** Whether the store claims for free workers with its outcome writes ({@link JobStore#onClaimDemand}). */
    private volatile boolean claimsWithOutcomes;

    /**
     * Where an outcome written later is reported: the I/O pool, or the thread that completed
     * the write if the pool refuses (full or shut down); never the store's flusher thread for
     * a re-read, which would wait for its own flush.
     */
    private final Executor completions;

    private final Leases leases;

    Dispatcher(
            JobStore store,
            JobExecutor executor,
            Map<String, HandlerRegistration<?, ?>> handlers,
            ObjectMapper mapper,
            Clock clock,
            Duration retention,
            RunTimes runTimes,
            EngineThreads threads,
            Events events,
            RunScopes scopes,
            int prefetch) {
        this.store = store;
        this.prefetch = prefetch;
        this.executor = executor;
        this.handlers = handlers;
        this.mapper = mapper;
        this.clock = clock;
        this.retention = retention;
        this.runTimes = runTimes;
        this.threads = threads;
        this.events = events;
        this.scopes = scopes;
        this.permits = new Semaphore(executor.concurrency());
        this.completions = task -> {
            if (!threads.tryIo(task)) {
                threads.onOwnThread(task);
            }
        };
        this.leases = new Leases(this, store, running, prefetched, handlers, clock, retention, threads, events);
    }

    /**
     * Work may be queued: starts queued jobs while workers are free. Thread-safe and never
     * blocks: the claims run on the engine's I/O threads, so a store's notification thread or a
     * request thread can call it.
     */
    void pump() {
        workSignals.incrementAndGet();
        if (pumpRequests.getAndIncrement() != 0) {
            return; // a drain is running or handed over: it drains again for this call
        }
        if (!threads.tryIo(this::drainWhileAsked)) {
            pumpRequests.set(0); // closing, or the pool is full: the next poll drains
        }
    }

    /** A worker became free: takes a prefetched job, or claims if work may be waiting. */
    private void workerFreed() {
        if (prefetchedCount() > 0 || workSignals.get() > drainedUpTo.get()) {
            drainOnce();
        }
    }

    /** Drains on this thread (a worker's, whose job just ended), unless a drain is under way. */
    private void drainOnce() {
        if (pumpRequests.getAndIncrement() != 0) {
            return;
        }
        drainWhileAsked();
    }

    private void drainWhileAsked() {
        int missed = 1;
        do {
            drain();
            missed = pumpRequests.addAndGet(-missed);
        } while (missed != 0);
    }

    private void drain() {
        while (dispatching) {
            int free = permits.drainPermits();
            List<Job> ready = prefetched.take(free);
            free -= ready.size();
            ready.forEach(this::start); // each holds one of the permits taken
            int waiting = prefetchedCount();
            if (free == 0 && (prefetch == 0 || waiting > prefetch / 2)) {
                return; // every worker busy, and enough prefetched: refilled when half are gone
            }
            int wanted = free + Math.max(0, prefetch - waiting);
            long signals = workSignals.get();
            List<Job> claimed;
            try {
                claimed = store.claim(clock.instant(), wanted, handlers.keySet());
            } catch (RuntimeException e) {
                permits.release(free);
                events.storeError("claim", e);
                LOG.warn("could not claim jobs; will try again", e);
                return;
            }
            int starting = Math.min(free, claimed.size());
            permits.release(free - starting);
            claimed.subList(0, starting).forEach(this::start);
            if (starting < claimed.size()) {
                keepPrefetched(claimed.subList(starting, claimed.size()));
            }
            if (claimed.size() < wanted) {
                drainedUpTo.accumulateAndGet(signals, Math::max); // nothing claimable was left then
                return;
            }
        }
    }

    private int prefetchedCount() {
        return prefetched.size();
    }

    /** Keeps claimed jobs until a worker is free; gives them back at once if dispatching stopped meanwhile. */
    private void keepPrefetched(List<Job> jobs) {
        if (!prefetched.keep(jobs)) {
            releaseToQueue(List.copyOf(jobs));
        }
    }

    private void releaseToQueue(List<Job> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        try {
            int released = store.release(jobs, clock.instant());
            LOG.debug("gave {} prefetched jobs back to the queue", released);
        } catch (RuntimeException e) {
            events.storeError("release", e);
            LOG.warn(
                    "could not give {} prefetched jobs back to the queue; they are taken back when their lease runs out",
                    jobs.size(),
                    e);
        }
    }

    /** A prefetched job whose cancellation was asked for: canceled without starting (on an I/O thread). */
    private void cancelPrefetched(Job job) {
        threads.tryIo(() -> {
            try {
                change(
                                job.id(),
                                job.attempt(),
                                current -> current.canceled(JobProblems.canceled(), clock.instant(), retention))
                        .ifPresent(events::endedInQueue);
            } catch (RuntimeException e) {
                events.storeError("record", e);
                LOG.warn("could not record the cancellation of prefetched job {}; it runs and sees it", job.id(), e);
            }
        });
    }

    /**
     * Stores a new queued job. If a worker is free, the store creates it claimed and the worker
     * starts it at once: one store call instead of a create and a claim. A free worker means the
     * last drain found no claimable job; an older job can be passed over only if it became due
     * (a retry's backoff ended) or was queued elsewhere since, and the next poll or notification
     * starts it.
     *
     * @return the job as stored (running if a worker took it)
     */
    Job submit(Job job) {
        if (!dispatching || prefetchedCount() > 0 || !permits.tryAcquire()) {
            store.create(job);
            events.submitted(job);
            pump();
            return job;
        }
        Optional<Job> claimed;
        try {
            claimed = store.createClaimed(job, clock.instant());
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
        events.submitted(job);
        if (claimed.isEmpty()) {
            permits.release();
            pump();
            return job;
        }
        start(claimed.get());
        return claimed.get();
    }

    /** The engine's side of {@link JobStore#onClaimDemand}: free workers, claimed for by a flush of outcomes. */
    final ClaimDemand demand = new ClaimDemand() {
        @Override
        public Set<String> types() {
            return handlers.keySet();
        }

        @Override
        public int wanted() {
            if (!dispatching || prefetchedCount() > 0 || workSignals.get() <= drainedUpTo.get()) {
                return 0; // prefetched jobs go first; or nothing claimable was left at the last look
            }
            return permits.availablePermits();
        }

        @Override
        public int reserve(int max) {
            if (wanted() == 0) {
                return 0;
            }
            int reserved = 0;
            while (reserved < max && permits.tryAcquire()) {
                reserved++;
            }
            return reserved;
        }

        @Override
        public void claimed(List<Job> jobs, int reserved) {
            completions.execute(() -> {
                if (!dispatching) { // closing meanwhile: back to the queue, for another instance
                    permits.release(reserved);
                    releaseToQueue(List.copyOf(jobs));
                    return;
                }
                int starting = Math.min(jobs.size(), reserved);
                permits.release(reserved - starting);
                jobs.subList(0, starting).forEach(Dispatcher.this::start);
                if (starting < jobs.size()) {
                    keepPrefetched(jobs.subList(starting, jobs.size())); // cannot happen: at most reserved
                }
                if (jobs.size() < reserved) {
                    workerFreed(); // a drain looks again if work was signalled since
                }
            });
        }

        @Override
        public void failed(int reserved) {
            permits.release(reserved);
            pump();
        }
    };

    /** Called once: the store claims with its outcome writes. */
    void claimsWithOutcomes(boolean value) {
        claimsWithOutcomes = value;
    }

    /** Hands a claimed job to the executor, holding one permit. */
    private void start(Job job) {
        try {
            executor.execute(() -> run(job));
        } catch (RejectedExecutionException e) {
            permits.release();
            LOG.warn("executor refused job {}; it goes back to the queue", job.id());
            change(job.id(), job.attempt(), current -> current.requeued(clock.instant()));
        }
    }

    /**
     * Runs a claimed job on this worker, then queues its outcome with
     * {@link JobStore#replaceAsync}. When the store has written it by the time it returns (the
     * default, the in-memory store) everything is as with a blocking write: the outcome is
     * reported, then the worker is free. When the write is still pending (a store that batches
     * outcomes), the worker is free at once and takes its next job, while this one stays among
     * the running jobs (its lease renewed by heartbeats, {@link #awaitIdle} waiting for it) until
     * the write completes; only then is the outcome reported (events, run times, a retry's pump).
     */
    private void run(Job claimed) {
        RunningJob context = new RunningJob(this, claimed, Thread.currentThread());
        running.put(claimed.id(), context);
        RunScopes.Opened scope = scopes.open(claimed);
        events.started(claimed);
        ScheduledFuture<?> timer = scheduleTimeout(context);
        CompletableFuture<Optional<Job>> recorded = new CompletableFuture<>();
        Job last = claimed;
        boolean released = false;
        try {
            UnaryOperator<Job> outcome = attempt(claimed, context);
            context.finish();
            Job known = context.latest();
            Job next = known.status() == JobStatus.RUNNING ? outcome.apply(known) : known;
            last = next;
            context.outcomeQueued();
            if (claimsWithOutcomes) {
                // free before the outcome is queued: the flush that writes it may claim this worker's next job
                permits.release();
                released = true;
            }
            record(context, outcome, next, 1, 50, recorded);
        } catch (RuntimeException | Error e) {
            recorded.completeExceptionally(e);
            if (e instanceof Error error) {
                scope.close(context.latest());
                finished(context, claimed, Optional.empty(), error);
                if (!released) {
                    permits.release();
                }
                throw error;
            }
        } finally {
            if (timer != null) {
                timer.cancel(false);
            }
            context.finish();
        }
        scope.close(recorded.isDone() ? recordedOr(recorded, context.latest()) : last);
        if (recorded.isDone()) {
            Optional<Job> done = Optional.empty();
            Throwable failure = null;
            try {
                done = recorded.getNow(Optional.empty());
            } catch (CompletionException | CancellationException e) {
                failure = e;
            }
            boolean requeued = finished(context, claimed, done, failure);
            if (!released) {
                permits.release();
            }
            if (requeued) {
                pump(); // its retry may be due at once
            } else {
                workerFreed();
            }
            return;
        }
        if (!released) {
            permits.release(); // the worker is free; the job stays running here until its outcome is written
        }
        if (!claimsWithOutcomes || prefetchedCount() > 0) {
            workerFreed(); // else the flush of the outcome claims for it
        }
        var unused = recorded.whenCompleteAsync(
                (done, failure) -> {
                    if (finished(context, claimed, done == null ? Optional.empty() : done, failure)) {
                        pump();
                    }
                },
                completions);
    }

    private static Job recordedOr(CompletableFuture<Optional<Job>> recorded, Job fallback) {
        try {
            return recorded.getNow(Optional.empty()).orElse(fallback);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    /**
     * An attempt's outcome was written (or could not be): reports it, and takes the job out of
     * the running ones. Returns whether the job was queued again (a retry, which may be due).
     */
    @SuppressWarnings(
            "NullableOptional") // null: the write failed (failure says why); empty: it lost its compare-and-set
    private boolean finished(
            RunningJob context, Job claimed, @Nullable Optional<Job> recorded, @Nullable Throwable failure) {
        boolean requeued = false;
        try {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                if (cause instanceof RuntimeException store) {
                    events.storeError("record", store);
                }
                LOG.error("could not record the outcome of job {}", claimed.id(), cause);
            } else if (recorded != null && recorded.isPresent()) {
                Job done = recorded.get();
                requeued = done.status() == JobStatus.QUEUED;
                if (done.status() == JobStatus.SUCCEEDED && done.startedAt().isPresent()) {
                    runTimes.record(
                            done.type(), Duration.between(done.startedAt().get(), done.updatedAt()));
                }
                events.ended(done, startOf(claimed));
            }
        } catch (RuntimeException e) {
            LOG.error("could not report the outcome of job {}", claimed.id(), e);
        } finally {
            running.remove(claimed.id(), context); // not a newer attempt of the same job run here since
            synchronized (idle) {
                idle.notifyAll();
            }
        }
        return requeued;
    }

    private static Instant startOf(Job claimed) {
        return claimed.startedAt().orElse(claimed.updatedAt());
    }

    private @Nullable ScheduledFuture<?> scheduleTimeout(RunningJob context) {
        HandlerRegistration<?, ?> registration = handlers.get(context.claimed().type());
        Optional<Duration> limit =
                registration == null ? Optional.empty() : registration.handler().timeout();
        if (limit.isEmpty()) {
            return null;
        }
        return threads.after(limit.get(), () -> timeOut(context, limit.get())); // recorded on an I/O thread
    }

    /** A job ran past its type's limit: recorded as failed now; its handler is interrupted. */
    private void timeOut(RunningJob context, Duration limit) {
        Job claimed = context.claimed();
        context.markTimedOut(limit);
        try {
            change(context, job -> job.failed(JobProblems.timedOut(limit), clock.instant(), retention))
                    .ifPresent(failed -> {
                        LOG.warn("job {} ran past its {} limit; failed and interrupted", claimed.id(), limit);
                        events.timedOut(failed, startOf(claimed));
                    });
        } catch (RuntimeException e) {
            events.storeError("record", e);
            LOG.warn("could not record the timeout of job {}", claimed.id(), e);
        }
        context.requestCancel(false);
    }

    /**
     * Records an attempt's outcome without waiting for the write ({@link JobStore#replaceAsync}),
     * completing {@code result} once it is written; tries again, with a growing backoff on the
     * engine's timer, while the store is unavailable (a dropped database connection, say). If it
     * never becomes available, {@code result} fails, and the job keeps its lease until it runs
     * out and another attempt is made: at least once, never lost, never written twice (a retry
     * whose first try did commit loses its compare-and-set, re-reads and finds the attempt over).
     *
     * @param next the outcome applied to the job as last known here, for the first try
     */
    private void record(
            RunningJob context,
            UnaryOperator<Job> outcome,
            @Nullable Job next,
            int tries,
            long backoff,
            CompletableFuture<Optional<Job>> result) {
        CompletableFuture<Optional<Job>> attempt;
        try {
            attempt = changeAsync(context, outcome, next);
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        var unused = attempt.whenComplete((changed, failure) -> {
            if (failure == null) {
                result.complete(changed);
                return;
            }
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (!(cause instanceof StoreUnavailableException) || tries >= 8) {
                result.completeExceptionally(cause);
                return;
            }
            Runnable again = () -> record(context, outcome, null, tries + 1, Math.min(backoff * 2, 1_000), result);
            threads.afterSurely(Duration.ofMillis(backoff), again);
        });
    }

    /**
     * Applies {@code change} to a job running here as {@link #change(RunningJob, UnaryOperator)}
     * does, without waiting for the write; a lost compare-and-set re-reads off the store's
     * thread. {@code next} is the change applied to {@link RunningJob#latest()} (null: apply it
     * here).
     */
    private CompletableFuture<Optional<Job>> changeAsync(
            RunningJob context, UnaryOperator<Job> change, @Nullable Job next) {
        Job known = context.latest();
        if (known.status() != JobStatus.RUNNING) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Job applied = next != null && next.version() == known.version() + 1 ? next : change.apply(known);
        CompletableFuture<Boolean> written = store.replaceAsync(known, applied);
        Executor then = written.isDone() ? Runnable::run : completions;
        return written.thenApplyAsync(
                won -> {
                    Optional<Job> changed = Boolean.TRUE.equals(won)
                            ? Optional.of(applied)
                            : change(known.id(), known.attempt(), change);
                    changed.ifPresent(context::latest);
                    return changed;
                },
                then);
    }

    /** Runs the handler; returns how to change the job to record what happened. */
    private UnaryOperator<Job> attempt(Job claimed, RunningJob context) {
        HandlerRegistration<?, ?> registration = handlers.get(claimed.type());
        if (registration == null) {
            LOG.error("job {} has type {}, which has no handler here", claimed.id(), claimed.type());
            Problem problem =
                    Problem.of("unknown-job-type", "Job failed", 500, "No handler is registered for this job's type.");
            return job -> job.failed(problem, clock.instant(), retention);
        }
        Object value;
        try {
            value = registration.run(mapper, claimed.input(), context);
        } catch (Throwable t) {
            return failure(claimed, context, t);
        }
        if (value == null) {
            LOG.warn(
                    "job {} (type {}): the handler returned null; a result must not be null",
                    claimed.id(),
                    claimed.type());
            return job -> job.failed(JobProblems.nullResult(), clock.instant(), retention);
        }
        Payload result;
        try {
            result = value instanceof Payload payload
                    ? payload
                    : new Payload(Payload.JSON, mapper.writeValueAsBytes(value));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("job {}: result could not be written as JSON", claimed.id(), e);
            return job -> job.failed(JobProblems.resultNotSerializable(), clock.instant(), retention);
        }
        return job -> job.succeeded(result, clock.instant(), retention);
    }

    private UnaryOperator<Job> failure(Job claimed, RunningJob context, Throwable t) {
        if (context.stoppedByShutdown()) {
            return shutdownOutcome();
        }
        Optional<Duration> limit = context.timedOutAfter();
        if (limit.isPresent()) {
            return job -> job.failed(JobProblems.timedOut(limit.get()), clock.instant(), retention);
        }
        if (t instanceof JobCanceledException || (context.isCancellationRequested() && isInterruption(t))) {
            return job -> job.canceled(JobProblems.canceled(), clock.instant(), retention);
        }
        if (t instanceof JobFailedException failed) {
            return job -> job.failed(failed.problem(), clock.instant(), retention);
        }
        LOG.warn("job {} (type {}, attempt {}) failed", claimed.id(), claimed.type(), claimed.attempt(), t);
        return job -> job.failed(JobProblems.handlerFailed(), clock.instant(), retention);
    }

    private static boolean isInterruption(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException
                    || c instanceof InterruptedIOException
                    || c instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Applies {@code change} to the job while it is still running the given attempt; re-reads
     * and tries again when another change won the race. Returns the new snapshot, or empty if
     * the job had already left that attempt (canceled, failed by shutdown, removed).
     */
    Optional<Job> change(JobId id, int attempt, UnaryOperator<Job> change) {
        while (true) {
            Optional<Job> found = store.find(id);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Job current = found.get();
            if (current.status() != JobStatus.RUNNING || current.attempt() != attempt) {
                return Optional.empty();
            }
            Job next = change.apply(current);
            if (store.replace(current, next)) {
                return Optional.of(next);
            }
        }
    }

    /**
     * Applies {@code change} to a job running here, first to the last version this instance wrote
     * (no read when nothing else changed the job since), then as {@link #change(JobId, int,
     * UnaryOperator)} does.
     */
    Optional<Job> change(RunningJob context, UnaryOperator<Job> change) {
        Job known = context.latest();
        if (known.status() != JobStatus.RUNNING) {
            return Optional.empty(); // this instance already ended the attempt (a timeout, say)
        }
        Job next = change.apply(known);
        Optional<Job> changed =
                store.replace(known, next) ? Optional.of(next) : change(known.id(), known.attempt(), change);
        changed.ifPresent(context::latest);
        return changed;
    }

    /**
     * Records progress without the handler waiting for the write ({@link JobStore#replaceAsync}):
     * the new version becomes the one this instance knows at once, so the next change (more
     * progress, the outcome) chains on it, and a store that batches writes coalesces a burst of
     * reports into one row. Queued in order, the outcome is written after the last report. A
     * report that loses its compare-and-set (the job changed elsewhere) is applied again to the
     * job as re-read, unless a newer change chained on it meanwhile (which then does the same);
     * an outcome chained on a lost version re-reads as well ({@link #changeAsync}).
     */
    @SuppressWarnings("ReferenceEquality") // identity on purpose: the very change the engine chained on
    void recordProgress(RunningJob context, Progress progress) {
        Job known = context.latest();
        if (known.status() != JobStatus.RUNNING) {
            return; // this instance already ended the attempt (a timeout, say)
        }
        UnaryOperator<Job> change = job -> job.withProgress(progress, clock.instant());
        Job next = change.apply(known);
        if (!context.latest(known, next)) {
            recordProgress(context, progress); // a timeout or a metadata change came first: chain on it
            return;
        }
        CompletableFuture<Boolean> written;
        try {
            written = store.replaceAsync(known, next);
        } catch (RuntimeException e) {
            context.latest(next, known);
            throw e;
        }
        Executor then = written.isDone() ? Runnable::run : completions;
        var unused = written.whenCompleteAsync(
                (won, failure) -> {
                    if (failure == null && Boolean.TRUE.equals(won)) {
                        events.progress(next);
                        return;
                    }
                    if (failure != null) {
                        events.storeError(
                                "record",
                                failure instanceof RuntimeException r ? r : new IllegalStateException(failure));
                        LOG.warn("could not record progress of job {}", known.id(), failure);
                    }
                    if (context.latest() != next) {
                        return; // a newer change chained on it: it finds out, and re-reads
                    }
                    try {
                        change(known.id(), known.attempt(), change).ifPresent(changed -> {
                            context.latest(next, changed);
                            events.progress(changed);
                        });
                    } catch (RuntimeException e) {
                        events.storeError("record", e);
                        LOG.warn("could not record progress of job {}", known.id(), e);
                    }
                },
                then);
    }

    void recordMetadata(RunningJob context, Payload metadata) {
        change(context, job -> job.withMetadata(metadata, clock.instant()));
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** Tells the handler of a job running here that its owner wants it canceled. */
    void signalCancel(JobId id) {
        RunningJob context = running.get(id);
        if (context != null) {
            context.requestCancel(false);
        } else {
            prefetched.remove(id).ifPresent(this::cancelPrefetched);
        }
    }

    /** Stops claiming, and gives the prefetched jobs back to the queue with one store call. */
    void stopDispatching() {
        List<Job> waiting;
        dispatching = false;
        waiting = prefetched.close();
        releaseToQueue(waiting);
    }

    /** Waits until no job runs here, at most {@code timeout}; returns whether none runs. */
    boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (!running.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(idle, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return running.isEmpty();
                }
            }
            return true;
        }
    }

    /** Asks every job running here to stop because the engine is closing. */
    void interruptAllForShutdown() {
        running.values().forEach(context -> context.requestCancel(true));
    }

    /**
     * Records every job still running here as ended by shutdown (failed; or, on a durable store,
     * queued again for another instance); their late outcome is ignored.
     */
    int endRunningForShutdown() {
        int ended = 0;
        for (RunningJob context : running.values()) {
            if (context.isOutcomeQueued()) {
                continue; // its outcome is being written: not ours to overwrite
            }
            Optional<Job> stopped = change(context, shutdownOutcome());
            if (stopped.isPresent()) {
                events.ended(stopped.get(), startOf(context.claimed()));
                LOG.warn("job {} ignored interruption; recorded as ended by shutdown", context.jobId());
                ended++;
            }
        }
        return ended;
    }

    /** A job stopped by shutdown: failed, or with a durable store, queued for another instance. */
    private UnaryOperator<Job> shutdownOutcome() {
        if (store.durable()) {
            return job -> job.requeued(clock.instant());
        }
        return job -> job.failed(JobProblems.interruptedByShutdown(), clock.instant(), retention);
    }

    /** This instance's leases, and the recovery of other instances' expired ones. */
    Leases leases() {
        return leases;
    }

    int runningCount() {
        return running.size();
    }

    /** How many jobs of {@code type} run here now (walks the running jobs: at most the concurrency). */
    int runningCount(String type) {
        int count = 0;
        for (RunningJob context : running.values()) {
            if (context.claimed().type().equals(type)) {
                count++;
            }
        }
        return count;
    }
}
