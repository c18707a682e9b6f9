package io.github.accepted;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.github.accepted.internal.EngineInternals;
import io.github.accepted.internal.SetOnce;
import io.github.accepted.spi.EngineGauges;
import io.github.accepted.spi.Fetch;
import io.github.accepted.spi.IdempotencyKey;
import io.github.accepted.spi.JobContextPropagator;
import io.github.accepted.spi.JobExecutor;
import io.github.accepted.spi.JobListener;
import io.github.accepted.spi.JobStore;
import io.github.accepted.spi.ListCursor;
import io.github.accepted.spi.ListQuery;
import io.github.accepted.spi.Page;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The job engine: accepts jobs, runs them on its workers through their handlers, and answers
 * for them. The HTTP side ({@code io.github.accepted.protocol.ProtocolEngine}) is built on it.
 *
 * <pre>{@code
 * Accepted accepted = Accepted.builder()
 *     .handler("report", ReportRequest.class, new ReportGenerator())
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops intake, lets running jobs finish for up to the shutdown
 * timeout, then interrupts them and records them as failed; with a store that is not durable,
 * jobs still queued are recorded as failed too, so nothing accepted is left without an answer.
 */
public final class Accepted implements AutoCloseable {

    /** Default retention of finished jobs: 24 hours. */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
    /** Default interval between purges of expired jobs: 1 minute. */
    public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(1);
    /** Default interval at which the store is checked for queued work besides wake-ups: 1 second. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /**
     * Default number of jobs an engine claims ahead of its free workers: 0, none. A prefetched
     * job waits for a worker of the instance that claimed it, even while another instance is
     * idle, behind jobs that may run for hours; turn it on for short jobs. See
     * {@link Builder#prefetch(int)}.
     */
    public static final int DEFAULT_PREFETCH = 0;
    /** Default time running jobs get to finish on {@link #close()}: 30 seconds. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    static {
        EngineInternals.register(engine -> engine.internals);
    }

    private final Map<String, HandlerRegistration<?, ?>> handlers;
    /** Each type's input reader, resolved once: the mapper's per-call type lookup was a tenth of a submit. */
    private final Map<String, ObjectReader> inputReaders;

    private final JobStore store;
    private final JobExecutor executor;
    private final Clock clock;
    private final Duration retention;
    private final ObjectMapper mapper;
    private final Dispatcher dispatcher;
    private final ChangeHub changes;
    private final RunTimes runTimes = new RunTimes();
    private final EngineThreads threads;
    private final Events events;
    private final RunScopes scopes;
    private final Intake intake;
    private final Maintenance maintenance;
    private final Shutdown shutdown;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean accepting = true;
    private final @Nullable CallbackEngine callbacks; // null unless callbacks are configured
    private final EngineInternals internals = new Internals();

    private Accepted(Builder b) {
        this.handlers = Map.copyOf(b.handlers);
        this.store = b.store != null ? b.store : JobStore.inMemory();
        this.executor = b.executor != null
                ? b.executor
                : JobExecutor.fixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
        // microseconds: what every store keeps, so a job read back equals the job written
        this.clock = Clock.tick(b.clock != null ? b.clock : Clock.systemUTC(), Duration.ofNanos(1000));
        this.retention = b.retention != null ? b.retention : DEFAULT_RETENTION;
        this.mapper = b.mapper != null ? b.mapper : defaultObjectMapper();
        Map<String, ObjectReader> readers = new HashMap<>();
        handlers.forEach((type, registration) -> readers.put(type, mapper.readerFor(registration.inputClass())));
        this.inputReaders = Map.copyOf(readers);
        Duration purgeInterval = b.purgeInterval != null ? b.purgeInterval : DEFAULT_PURGE_INTERVAL;
        Duration pollInterval = b.pollInterval != null ? b.pollInterval : DEFAULT_POLL_INTERVAL;
        this.threads = new EngineThreads(b.ioThreads != null ? b.ioThreads : EngineThreads.DEFAULT_IO_THREADS);
        this.changes = new ChangeHub(store::find, threads);
        this.events = new Events(b.listeners);
        this.scopes = new RunScopes(b.propagators);
        this.dispatcher = new Dispatcher(
                store,
                executor,
                handlers,
                mapper,
                clock,
                retention,
                runTimes,
                threads,
                events,
                scopes,
                b.prefetch != null ? b.prefetch : DEFAULT_PREFETCH);
        events.attach(new Gauges()); // before anything can run: listeners see every job
        store.onChange(changes::publish);
        store.onChangeElsewhere(dispatcher.leases()::changedElsewhere);
        store.onWork(dispatcher::pump);
        dispatcher.claimsWithOutcomes(store.onClaimDemand(dispatcher.demand));
        this.callbacks = b.callbacks == null
                ? null
                : new CallbackEngine(b.callbacks, store, clock, mapper.getFactory(), retention);
        if (callbacks != null) {
            store.onChange(callbacks::changed);
        }
        this.intake = new Intake(
                handlers, inputReaders, store, clock, scopes, callbacks, events, dispatcher, () -> accepting);
        this.maintenance = new Maintenance(
                store, clock, events, threads, dispatcher, purgeInterval, pollInterval, () -> accepting);
        this.shutdown = new Shutdown(
                store,
                executor,
                dispatcher,
                maintenance,
                threads,
                callbacks,
                events,
                clock,
                retention,
                b.shutdownTimeout != null ? b.shutdownTimeout : DEFAULT_SHUTDOWN_TIMEOUT,
                handlers.keySet());
        dispatcher.pump(); // jobs queued before this engine started run now, not at the first poll
    }

    /** A builder with every default in place; at least one handler must be added. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The JSON mapper used when none is configured: Jackson with strict reading (unknown fields,
     * trailing tokens, nulls for primitives, fractions for integers, strings for numbers and
     * numbers for strings are errors) and read constraints (nesting depth
     * 64, strings up to 1 MB, numbers up to 100 digits) so hostile input stays cheap to refuse.
     */
    public static ObjectMapper defaultObjectMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(1_000_000)
                        .maxNumberLength(100)
                        .build())
                .build();
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(LogicalType.Textual, strings -> strings.setCoercion(
                                CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
    }

    /**
     * Submits a job whose input is given as a Java value (written as JSON, then read back as the
     * handler's input type and validated, exactly as an HTTP submission would be).
     *
     * @param owner who owns it; {@link Job#ANONYMOUS} for an anonymous job
     * @throws IllegalArgumentException   if there is no handler for {@code type}
     * @throws InvalidInputException      if the input does not validate
     * @throws RejectedJobException       if the store is full or the engine is closing
     */
    public Job submit(String type, String owner, Object input) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(input);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("the input could not be written as JSON");
        }
        return submitJson(type, owner, json);
    }

    /**
     * Submits a job whose input is JSON: reads it into the handler's input type, validates it,
     * and queues the job. Nothing is queued when any check fails. If a worker is free, the job
     * is stored already running and starts at once (one store call instead of two).
     *
     * @param owner who owns it; {@link Job#ANONYMOUS} for an anonymous job
     * @return the job as stored: queued, or running if a worker took it at once
     * @throws IllegalArgumentException   if there is no handler for {@code type}
     * @throws InvalidInputException      if the input is not valid
     * @throws RejectedJobException       if the store is full or the engine is closing
     */
    public Job submitJson(String type, String owner, byte[] json) {
        return intake.submit(type, owner, json, null, CallbackRequest.none("")).job();
    }

    /**
     * Submits a job as {@link #submitJson(String, String, byte[])} does, under an idempotency key:
     * the first submission with a key creates the job; a later one with the same key and the
     * same request fingerprint gets that job back (as it is now) and creates nothing.
     *
     * @throws IdempotencyKeyReusedException if the key names a job submitted with another fingerprint
     */
    public Submission submitJson(String type, String owner, byte[] json, IdempotencyKey key) {
        return intake.submit(type, owner, json, Objects.requireNonNull(key, "key"), CallbackRequest.none(""));
    }

    /**
     * Submits a job as {@link #submitJson(String, String, byte[])} does, with completion
     * callbacks: the client's (checked first: syntax, count, SSRF rules) and those the
     * application registered for {@code type}. They are stored before the job, so none can miss
     * its end.
     *
     * @throws InvalidCallbackException if a callback is refused, or callbacks were asked for and
     *                                  are not {@linkplain Builder#callbacks(Callbacks) enabled}
     */
    public Submission submitJson(String type, String owner, byte[] json, CallbackRequest requested) {
        return intake.submit(type, owner, json, null, requested);
    }

    /**
     * Submits a job as {@link #submitJson(String, String, byte[], IdempotencyKey)} does, with completion
     * callbacks: the client's (checked first: syntax, count, SSRF rules) and those the
     * application registered for {@code type}. They are stored before the job, so none can miss
     * its end. A repeated idempotency key stores none: the first submission's callbacks stand.
     *
     * @throws InvalidCallbackException if a callback is refused, or callbacks were asked for and
     *                                  are not {@linkplain Builder#callbacks(Callbacks) enabled}
     */
    public Submission submitJson(
            String type, String owner, byte[] json, IdempotencyKey key, CallbackRequest requested) {
        return intake.submit(type, owner, json, Objects.requireNonNull(key, "key"), requested);
    }

    /**
     * Waits, without holding a thread, until job {@code id} changes past {@code afterVersion}
     * (any change of status, progress or result), is terminal, disappears, or {@code timeout}
     * passes. Completes with the job as {@code owner} may see it then.
     */
    CompletableFuture<Optional<Job>> awaitChange(JobId id, String owner, long afterVersion, Duration timeout) {
        return awaitChange(id, owner, afterVersion, timeout, Fetch.ALL);
    }

    /** As {@link #awaitChange(JobId, String, long, Duration)}, reading the job with {@code fetch}. */
    CompletableFuture<Optional<Job>> awaitChange(
            JobId id, String owner, long afterVersion, Duration timeout, Fetch fetch) {
        Objects.requireNonNull(owner, "owner");
        return changes.awaitChange(id, afterVersion, timeout, fetch, job -> visible(job, owner));
    }

    /**
     * The delivery state of the callbacks the client asked for on job {@code id} (the
     * application's own are not listed); empty when there are none or callbacks are not enabled.
     */
    List<io.github.accepted.spi.Callback> callbacks(JobId id) {
        return callbacks == null ? List.of() : callbacks.shown(id);
    }

    /** How many {@link #awaitChange} calls are waiting now. */
    int waitingCount() {
        return changes.waiting();
    }

    /**
     * How long jobs of this type have been running lately (a moving average of recent
     * successes on this instance); empty before the first success.
     */
    Optional<Duration> typicalRunTime(String type) {
        return runTimes.typical(type);
    }

    /**
     * The job with this id as {@code owner} may see it: their own, or an anonymous one. Expired
     * jobs are not found even before they are purged.
     */
    public Optional<Job> find(JobId id, String owner) {
        return find(id, owner, Fetch.ALL);
    }

    /**
     * As {@link #find(JobId, String)}, with only the payloads {@code fetch} asks for loaded (a
     * status monitor's read: see {@link Fetch}).
     */
    public Optional<Job> find(JobId id, String owner, Fetch fetch) {
        Objects.requireNonNull(owner, "owner");
        return visible(store.find(id, fetch), owner);
    }

    private Optional<Job> visible(Optional<Job> job, String owner) {
        Instant now = clock.instant();
        return job.filter(found -> visibleTo(found, owner) && !found.isExpiredAt(now));
    }

    private static boolean visibleTo(Job job, String owner) {
        return job.isAnonymous() || job.owner().equals(owner);
    }

    /**
     * Cancels a job, or removes it once finished.
     * <ul>
     *   <li>queued: canceled at once ({@link CancelResult.Outcome#CANCELED});</li>
     *   <li>running: cancellation recorded, the handler's flag set and its thread interrupted
     *       ({@link CancelResult.Outcome#REQUESTED}); it ends when the handler stops;</li>
     *   <li>finished: the record is removed ({@link CancelResult.Outcome#REMOVED}).</li>
     * </ul>
     *
     * @throws JobNotFoundException if {@code owner} cannot see such a job
     */
    public CancelResult cancel(JobId id, String owner) {
        return cancelIf(id, owner, job -> true).orElseThrow();
    }

    /**
     * {@link #cancel(JobId, String)}, but only if the job passes {@code condition}, as an HTTP
     * {@code If-Match} asks. The condition is checked on the very version of the job that is
     * then changed (each change is a compare-and-set), so a change in between is never missed.
     *
     * @param condition tested on the job as found, perhaps several times when changes race
     * @return what was done; empty if the job did not pass the condition, and nothing was done
     * @throws JobNotFoundException if {@code owner} cannot see such a job
     */
    public Optional<CancelResult> cancelIf(JobId id, String owner, Predicate<Job> condition) {
        Objects.requireNonNull(condition, "condition");
        while (true) {
            Job job = find(id, owner).orElseThrow(() -> new JobNotFoundException(id));
            if (!condition.test(job)) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            switch (job.status()) {
                case QUEUED -> {
                    Job canceled = job.canceled(JobProblems.canceled(), now, retention);
                    if (store.replace(job, canceled)) {
                        events.endedInQueue(canceled);
                        return Optional.of(new CancelResult(CancelResult.Outcome.CANCELED, canceled));
                    }
                }
                case RUNNING -> {
                    if (job.cancelRequested()) {
                        dispatcher.signalCancel(id);
                        return Optional.of(new CancelResult(CancelResult.Outcome.REQUESTED, job));
                    }
                    Job requested = job.withCancelRequested(now);
                    if (store.replace(job, requested)) {
                        dispatcher.signalCancel(id);
                        return Optional.of(new CancelResult(CancelResult.Outcome.REQUESTED, requested));
                    }
                }
                case SUCCEEDED, FAILED, CANCELED -> {
                    if (store.delete(job)) {
                        return Optional.of(new CancelResult(CancelResult.Outcome.REMOVED, job));
                    }
                }
            }
            // another change won the race: look again
        }
    }

    /**
     * The first page of {@code owner}'s jobs, newest first; expired ones are left out.
     *
     * @param owner    an owner; anonymous jobs are never listed
     * @param statuses only these states; empty for all
     * @param limit    1 to {@value ListQuery#MAX_LIMIT}
     */
    public Page list(String owner, Set<JobStatus> statuses, int limit) {
        return list(owner, statuses, limit, Fetch.ALL);
    }

    /** As {@link #list(String, Set, int)}, the page after {@code after}. */
    public Page list(String owner, Set<JobStatus> statuses, ListCursor after, int limit) {
        return list(owner, statuses, after, limit, Fetch.ALL);
    }

    /** As {@link #list(String, Set, int)}, with only the payloads {@code fetch} asks for loaded. */
    public Page list(String owner, Set<JobStatus> statuses, int limit, Fetch fetch) {
        return list(new ListQuery(owner, statuses, Optional.empty(), limit, fetch));
    }

    /** As {@link #list(String, Set, ListCursor, int)}, with only the payloads {@code fetch} asks for loaded. */
    public Page list(String owner, Set<JobStatus> statuses, ListCursor after, int limit, Fetch fetch) {
        return list(new ListQuery(owner, statuses, Optional.of(after), limit, fetch));
    }

    private Page list(ListQuery query) {
        Page page = store.list(query);
        Instant now = clock.instant();
        if (page.jobs().stream().noneMatch(job -> job.isExpiredAt(now))) {
            return page;
        }
        return new Page(
                page.jobs().stream().filter(job -> !job.isExpiredAt(now)).toList(), page.next());
    }

    /** Whether new jobs are taken ({@code false} once {@link #close()} began). */
    public boolean isAccepting() {
        return accepting;
    }

    /** The names of the registered job types. */
    public Set<String> jobTypes() {
        return handlers.keySet();
    }

    /**
     * The class a job type's submitted JSON input is read into, as its handler was registered
     * ({@link Builder#handler}); empty for an unknown type. Describers such as the OpenAPI module
     * derive the input's schema from it.
     */
    public Optional<Class<?>> inputClass(String type) {
        return Optional.ofNullable(handlers.get(Objects.requireNonNull(type, "type")))
                .map(HandlerRegistration::inputClass);
    }

    /** The mapper that reads inputs and writes results. */
    public ObjectMapper objectMapper() {
        return mapper;
    }

    /** The clock the engine reads. */
    public Clock clock() {
        return clock;
    }

    /** How long finished jobs are kept. */
    public Duration retention() {
        return retention;
    }

    /** Removes expired jobs now (it also happens in the background). Returns how many. */
    int purgeExpired() {
        return maintenance.purgeExpired();
    }

    /**
     * Stops intake (submissions get {@link RejectedJobException}), gives the jobs claimed ahead
     * ({@link Builder#prefetch(int)}) back to the queue, waits up to the shutdown timeout for
     * running jobs, then interrupts those left and records them as failed — or, with
     * a {@link JobStore#durable() durable} store, queues them again for another instance. With a
     * store that is not durable, jobs still queued are recorded as failed ("shut down before the
     * job could start"), and each is logged. Finally closes the store. Idempotent; lookups keep
     * working after (on the in-memory store).
     *
     * <p>Leases of the jobs running here are renewed until the last of them has ended, however
     * long the shutdown timeout: no other instance takes a job over while it still runs here.
     * Monitors keep answering throughout.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        accepting = false;
        shutdown.run();
    }

    /** What the protocol engine and Accepted's other modules reach through {@link EngineInternals}. */
    private final class Internals implements EngineInternals {

        @Override
        public CompletableFuture<Optional<Job>> awaitChange(
                JobId id, String owner, long afterVersion, Duration timeout, Fetch fetch) {
            return Accepted.this.awaitChange(id, owner, afterVersion, timeout, fetch);
        }

        @Override
        public int waitingCount() {
            return Accepted.this.waitingCount();
        }

        @Override
        public Optional<Duration> typicalRunTime(String type) {
            return Accepted.this.typicalRunTime(type);
        }

        @Override
        public int purgeExpired() {
            return Accepted.this.purgeExpired();
        }

        @Override
        public List<io.github.accepted.spi.Callback> callbacks(JobId id) {
            return Accepted.this.callbacks(id);
        }
    }

    /** What listeners may sample of this engine. */
    private final class Gauges implements EngineGauges {

        @Override
        public Set<String> jobTypes() {
            return handlers.keySet();
        }

        @Override
        public int runningJobs(String type) {
            return dispatcher.runningCount(type);
        }

        @Override
        public int waitingClients() {
            return changes.waiting();
        }
    }

    /**
     * Configures an {@link Accepted}. Each setting may be given once; {@link #build()} fills in
     * the documented defaults. Not thread-safe.
     */
    public static final class Builder {

        private final SetOnce given = new SetOnce();
        private final Map<String, HandlerRegistration<?, ?>> handlers = new LinkedHashMap<>();
        private @Nullable JobStore store;
        private @Nullable JobExecutor executor;
        private @Nullable Clock clock;
        private @Nullable Duration retention;
        private @Nullable Duration purgeInterval;
        private @Nullable Duration pollInterval;
        private @Nullable Duration shutdownTimeout;
        private @Nullable ObjectMapper mapper;
        private @Nullable Integer ioThreads;
        private @Nullable Integer prefetch;
        private final List<JobListener> listeners = new ArrayList<>();
        private final List<JobContextPropagator> propagators = new ArrayList<>();
        private @Nullable Callbacks callbacks;

        private Builder() {}

        /**
         * Adds a listener that hears every job event of this engine (metrics, traces, audit):
         * see {@link JobListener} for what it may and may not do. May be called more than once;
         * listeners are called in the order added. Default: none.
         */
        public Builder listener(JobListener value) {
            listeners.add(Objects.requireNonNull(value, "listener"));
            return this;
        }

        /**
         * Adds a propagator that carries context from each submit to the job's runs (a trace,
         * chosen MDC keys): see {@link JobContextPropagator}. May be called more than once.
         * Default: none; the worker's MDC then holds only {@code jobId}, {@code jobType} and
         * {@code attempt}, never the submitter's keys.
         */
        public Builder propagator(JobContextPropagator value) {
            propagators.add(Objects.requireNonNull(value, "propagator"));
            return this;
        }

        /**
         * Registers the handler for job type {@code type}.
         *
         * @param type       1 to 64 characters: letters, digits, {@code . _ -}
         * @param inputClass what the submitted JSON is read into
         * @throws IllegalStateException    if {@code type} has a handler already
         * @throws IllegalArgumentException if {@code type} is not a valid name
         */
        public <I, O> Builder handler(String type, Class<I> inputClass, JobHandler<I, O> handler) {
            HandlerRegistration<I, O> registration = new HandlerRegistration<>(type, inputClass, handler);
            if (handlers.putIfAbsent(type, registration) != null) {
                throw new IllegalStateException("job type " + type + " has a handler already");
            }
            return this;
        }

        /** Where jobs are kept. Default: {@link JobStore#inMemory()}. */
        public Builder store(JobStore value) {
            given.mark("store");
            store = Objects.requireNonNull(value, "store");
            return this;
        }

        /**
         * What runs handlers. Default: {@link JobExecutor#fixedThreadPool(int)} with one thread
         * per processor, at least 2.
         */
        public Builder executor(JobExecutor value) {
            given.mark("executor");
            executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        /** The clock for every timestamp and expiry. Default: {@link Clock#systemUTC()}. */
        public Builder clock(Clock value) {
            given.mark("clock");
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** How long finished jobs are kept. Default: {@link #DEFAULT_RETENTION}. */
        public Builder retention(Duration value) {
            given.mark("retention");
            retention = positive(value, "retention");
            return this;
        }

        /** How often expired jobs are purged. Default: {@link #DEFAULT_PURGE_INTERVAL}. */
        public Builder purgeInterval(Duration value) {
            given.mark("purgeInterval");
            purgeInterval = atLeastOneMilli(value, "purgeInterval");
            return this;
        }

        /**
         * How often the store is checked for queued work besides the wake-up that follows every
         * submit. Default: {@link #DEFAULT_POLL_INTERVAL}.
         */
        public Builder pollInterval(Duration value) {
            given.mark("pollInterval");
            pollInterval = atLeastOneMilli(value, "pollInterval");
            return this;
        }

        /** How long {@link #close()} lets running jobs finish. Default: {@link #DEFAULT_SHUTDOWN_TIMEOUT}. */
        public Builder shutdownTimeout(Duration value) {
            given.mark("shutdownTimeout");
            shutdownTimeout = Objects.requireNonNull(value, "shutdownTimeout");
            if (value.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout must not be negative");
            }
            return this;
        }

        /**
         * How many threads the engine keeps for its own blocking store calls: claims woken by a
         * notification or a poll, reads that answer long-polls, timeouts, recovery and purges.
         * Request threads and job threads never wait for them. Default: 4.
         */
        public Builder ioThreads(int value) {
            given.mark("ioThreads");
            if (value < 1 || value > 256) {
                throw new IllegalArgumentException("ioThreads must be between 1 and 256");
            }
            ioThreads = value;
            return this;
        }

        /**
         * How many queued jobs the engine claims ahead of its free workers. They wait on this
         * instance, claimed under its lease (their monitors show them running), and a worker
         * whose job ends starts the next of them without a round trip to the store; they are
         * claimed again in one batch when half are gone. Their leases are renewed with the
         * running jobs', and {@link Accepted#close()} gives them back to the queue at once (one
         * statement), claimable by any instance. 0 claims only for free workers.
         *
         * <p>Default: {@link Accepted#DEFAULT_PREFETCH}, 0. Prefetching saves claims when jobs are
         * short and many (a few per instance, on a store shared by instances, cut the claims per
         * job); but a prefetched job waits for a worker of its own instance, so with long jobs it
         * can wait for hours while another instance is idle. Turn it on only for short jobs.
         *
         * @param value 0 to 1,024
         */
        public Builder prefetch(int value) {
            given.mark("prefetch");
            if (value < 0 || value > 1_024) {
                throw new IllegalArgumentException("prefetch must be between 0 and 1024");
            }
            prefetch = value;
            return this;
        }

        /**
         * Sends completion callbacks (signed webhooks) when jobs end: to the URLs clients name
         * at submission, and to those registered per job type. Default: none; a submission that
         * asks for one is then refused.
         */
        public Builder callbacks(Callbacks value) {
            given.mark("callbacks");
            callbacks = Objects.requireNonNull(value, "callbacks");
            return this;
        }

        /** The JSON mapper for inputs and results. Default: {@link #defaultObjectMapper()}. */
        public Builder objectMapper(ObjectMapper value) {
            given.mark("objectMapper");
            mapper = Objects.requireNonNull(value, "objectMapper");
            return this;
        }

        /**
         * Builds and starts the engine.
         *
         * @throws IllegalStateException if no handler was registered
         */
        public Accepted build() {
            if (handlers.isEmpty()) {
                throw new IllegalStateException("register at least one handler");
            }
            return new Accepted(this);
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }

        private static Duration atLeastOneMilli(Duration value, String name) {
            positive(value, name);
            if (value.toMillis() < 1) {
                throw new IllegalArgumentException(name + " must be at least 1 ms");
            }
            return value;
        }
    }
}
