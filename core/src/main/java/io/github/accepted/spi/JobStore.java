package io.github.accepted.spi;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.RejectedJobException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Where jobs live. The engine reads and changes jobs only through this interface, so the same
 * engine runs on one machine (the in-memory store) or several sharing a database.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Every change is a compare-and-set: {@link #replace(Job, Job)} and {@link #delete(Job)}
 *       succeed only if the stored job still has the caller's version. Of two racing changes
 *       exactly one wins; the loser re-reads and decides again.</li>
 *   <li>{@link #claimNext(Instant, Set)} hands each queued job to one caller only, and only to a
 *       caller that asked for its type: an instance never claims a job it has no handler for
 *       (during a rolling deploy that adds a type, the old instances leave its jobs queued).</li>
 *   <li>Bounds are the store's: {@link #create(Job)} refuses work past them, with
 *       {@link RejectedJobException}, before anything is stored. Besides its bounds on queued
 *       jobs and on records, a store bounds the queued jobs of each (non-anonymous) owner,
 *       refusing with {@link RejectedJobException.Reason#OWNER_QUEUE_FULL}.</li>
 *   <li>Every method is thread-safe.</li>
 * </ul>
 * The abstract {@code JobStoreContract} test in {@code accepted-conformance} states the contract
 * as tests; every implementation runs it.
 */
public interface JobStore extends AutoCloseable {

    /** Default of {@link #inMemory(int, int)}: at most this many queued jobs. */
    int DEFAULT_MAX_QUEUED = 10_000;

    /** Default of {@link #inMemory(int, int)}: at most this many job records of any state. */
    int DEFAULT_MAX_RETAINED = 100_000;

    /**
     * Default per-owner bound of both stores: at most this many queued jobs of one owner, so
     * that one owner cannot fill the queue for everyone (a tenth of {@link #DEFAULT_MAX_QUEUED}).
     * Anonymous jobs are not bounded per owner: they have no owner to tell apart, and
     * {@code maxQueued} bounds them.
     */
    int DEFAULT_MAX_QUEUED_PER_OWNER = 1_000;

    /**
     * Stores a new job (version 1, queued).
     *
     * @throws RejectedJobException if the store is at one of its bounds
     * @throws IllegalArgumentException if a job with that id exists already
     */
    void create(Job job);

    /**
     * Stores a new job under an idempotency key, atomically: if the key (in its scope) is free,
     * {@code job} is created and the key names it until the job's record is removed; if the key
     * is taken, nothing is stored and the job it names is returned. Of concurrent calls with
     * one key, exactly one creates.
     *
     * @throws RejectedJobException if the key is free but the store is at one of its bounds
     */
    KeyedCreate createIdempotent(Job job, IdempotencyKey key);

    /**
     * Stores a new job already claimed by this instance, as if {@link #create} and
     * {@link #claim} had run back to back (the engine submits only types it has a handler
     * for, so no type set is needed): the engine calls it when a worker is free at submit
     * time, and saves a round trip. {@code job} is queued at version 1, as for {@link #create};
     * the stored job is {@code job.claimed(now)}, which is returned. Within the retained bound
     * only: the job never waits in the queue. A store that cannot do it in one step may create
     * {@code job} queued and return empty; the default does that, and the engine then claims
     * it as usual.
     *
     * @return the stored running job, or empty if {@code job} was stored queued instead
     * @throws RejectedJobException if the store is at its bound
     * @throws IllegalArgumentException if a job with that id exists already
     */
    default Optional<Job> createClaimed(Job job, Instant now) {
        create(job);
        return Optional.empty();
    }

    /** The job with this id, expired or not; empty if there is none. */
    Optional<Job> find(JobId id);

    /**
     * The job with this id as {@link #find(JobId)} has it, except that the payloads
     * {@code fetch} leaves out may be {@linkplain io.github.accepted.Payload#isLoaded() not
     * loaded}: status monitors read this way, so that a poll does not read a large result or
     * input it does not show. A store that keeps payloads elsewhere (a database) should honour
     * it; the default reads everything.
     */
    default Optional<Job> find(JobId id, Fetch fetch) {
        return find(id);
    }

    /**
     * Replaces {@code current} with {@code next} if the stored job still has
     * {@code current.version()}.
     *
     * @param next a snapshot made from {@code current} by one of {@link Job}'s transitions
     *             (its version is {@code current.version() + 1})
     * @return whether it was replaced; {@code false} if the job changed meanwhile or is gone
     */
    boolean replace(Job current, Job next);

    /**
     * Replaces as {@link #replace(Job, Job)} does, without making the caller wait for the write:
     * the engine records a finished attempt's outcome this way, so that its worker takes the next
     * job as soon as the outcome is queued. The future completes once the change is durable (or
     * lost its compare-and-set), with what {@code replace} would have returned, or exceptionally
     * with what it would have thrown ({@link StoreUnavailableException} when the store could not
     * be reached; the engine then tries again, with the same {@code current}). Until it
     * completes, the engine treats the job as still running here: its lease is renewed, and
     * nothing reports the outcome.
     *
     * <p>A store that batches writes returns once the change is queued; it may make the caller
     * wait while its buffer of queued changes is full (it must not drop one), and must complete
     * every future it returned, also when it closes (after writing what is queued). Its futures
     * may complete on the store's own threads; the engine does not block them. The default calls
     * {@link #replace(Job, Job)} and returns a completed future.
     *
     * <p>The engine also reports a handler's progress this way, without waiting, and chains the
     * next change of the job (more progress, the outcome) on the version it queued before that
     * is written. A store that writes changes in the background must therefore write the changes
     * of one job in the order they were queued, and fail (complete with {@code false}) a change
     * whose {@code current} is the {@code next} of the job's previous change that lost: its
     * version number may since have been reached by another change. It may write such a chained
     * change together with the one it chains on, as one change from the first {@code current}
     * to the last {@code next}, completing both with its result.
     *
     * @param next as for {@link #replace(Job, Job)}
     * @return completes with whether it was replaced
     */
    default CompletableFuture<Boolean> replaceAsync(Job current, Job next) {
        try {
            return CompletableFuture.completedFuture(replace(current, next));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Claims the oldest queued job whose type is one of {@code types}: moves it to running
     * ({@link Job#claimed(Instant)}) and returns it. Each queued job is returned to one caller
     * only. Jobs of other types stay queued, however old.
     *
     * @param types the job types the caller has handlers for
     * @return the claimed job, or empty when none of those types is queued
     */
    Optional<Job> claimNext(Instant now, Set<String> types);

    /**
     * Removes {@code current} if the stored job still has its version.
     *
     * @return whether it was removed
     */
    boolean delete(Job current);

    /**
     * One page of an owner's jobs, newest first, with the payloads {@link ListQuery#fetch()}
     * asks for (a store may load more).
     */
    Page list(ListQuery query);

    /**
     * Removes the jobs whose {@link Job#expiresAt()} is at or before {@code now}: all of them, or
     * at most a bound of the store's per call, so that one call never takes long; the engine
     * calls it again at its next purge, which goes on where this one stopped.
     *
     * @return how many were removed
     */
    int purgeExpired(Instant now);

    /**
     * Registers a listener called with a job's id after each change to it (replace, delete),
     * including changes made by other instances when the store can tell. Listeners must be
     * quick and must not throw. The default does nothing, and waiters then only wake at their
     * deadline.
     */
    default void onChange(java.util.function.Consumer<JobId> listener) {}

    /**
     * Registers a listener called with a job's id after another instance changed it, when the
     * store can tell; a subset of what {@link #onChange} hears. The engine uses it to learn at
     * once that a job running here was cancelled elsewhere (the heartbeat catches it otherwise).
     * Listeners must be quick and must not throw. The default does nothing.
     */
    default void onChangeElsewhere(java.util.function.Consumer<JobId> listener) {}

    /**
     * Registers a callback for "new work may be queued", from other instances when the store can
     * tell (a database notification, say), so idle workers start at once instead of at the next
     * poll. The default does nothing: workers then rely on their own submits and on polling.
     */
    default void onWork(Runnable wakeUp) {}

    /**
     * Registers the engine's {@link ClaimDemand}: a store that writes other changes in
     * transactions of its own (a batched flush of outcomes) may claim queued jobs for free
     * workers in the same transaction, saving the engine a round trip. The engine calls it once,
     * before it starts; a worker whose outcome such a store is writing leaves its room to that
     * write's claim instead of claiming on its own. The default ignores it: the engine then claims
     * with {@link #claim(Instant, int, Set)} as usual.
     *
     * @return whether the store will claim with its writes
     */
    default boolean onClaimDemand(ClaimDemand demand) {
        return false;
    }

    /**
     * Claims up to {@code max} queued jobs of {@code types} at once, oldest first, as
     * {@link #claimNext(Instant, Set)} does one by one (the default).
     */
    default List<Job> claim(Instant now, int max, Set<String> types) {
        List<Job> claimed = new ArrayList<>(Math.min(max, 16));
        for (int i = 0; i < max; i++) {
            Optional<Job> next = claimNext(now, types);
            if (next.isEmpty()) {
                break;
            }
            claimed.add(next.get());
        }
        return claimed;
    }

    /**
     * Gives claimed jobs that never started back to the queue: each that is still running at the
     * version given (and, in a shared store, still under this instance's lease) becomes
     * {@link Job#released(Instant) released}: queued, its lease cleared, its attempt not counted,
     * claimable at once by any instance. The engine calls it for its prefetched jobs when it
     * closes. The default replaces them one by one; a shared store should do it in one
     * statement and wake the other instances.
     *
     * @return how many were given back
     */
    default int release(Collection<Job> claimed, Instant now) {
        int released = 0;
        for (Job job : claimed) {
            if (replace(job, job.released(now))) {
                released++;
            }
        }
        return released;
    }

    /**
     * How long a claim lasts without being renewed, for stores shared by several instances;
     * empty (the default) when claims never expire because a single process holds them all.
     */
    default Optional<Duration> leaseTimeout() {
        return Optional.empty();
    }

    /**
     * Renews the leases of the jobs this instance runs (each at the attempt it claimed), and
     * reports cancellations asked for elsewhere and leases lost. The default renews nothing.
     */
    default Heartbeat heartbeat(Collection<Job> running, Instant now) {
        return Heartbeat.NONE;
    }

    /**
     * How often the engine calls {@link #expiredLeases(Instant, int)} to take back the jobs of
     * instances that stopped. Default: a quarter of the {@linkplain #leaseTimeout() lease}; empty
     * when the store has no leases. A store that can tell at once that an instance died (from the
     * database's own view of its sessions, say) may ask to be checked more often.
     */
    default Optional<Duration> recoveryInterval() {
        return leaseTimeout().map(lease -> lease.dividedBy(4));
    }

    /**
     * Registers what to call when the store learns that another instance is gone, so that its
     * jobs are taken back at once instead of at the next {@link #recoveryInterval()}. The call
     * comes on a store thread and must not block; the engine hands the work to its own threads.
     * The default never calls it.
     */
    default void onInstanceLost(Runnable recover) {}

    /**
     * Running jobs that may be taken back now, at most {@code limit}: their lease expired by
     * {@code now} (their instance stopped renewing it), or the store knows that the instance
     * holding them is gone.
     */
    default List<Job> expiredLeases(Instant now, int limit) {
        return List.of();
    }

    /**
     * Takes back a job whose lease expired: replaces {@code expired} with {@code next} (queued
     * again, or failed) only if its version is unchanged and its lease is still expired at
     * {@code now}; a requeued job is not claimed before {@code runAfter}.
     */
    default boolean reclaim(Job expired, Job next, Instant now, Instant runAfter) {
        return replace(expired, next);
    }

    /**
     * Whether jobs outlive this process (a database, say). When they do not, closing the
     * engine fails the jobs still queued rather than leaving them to nobody.
     */
    default boolean durable() {
        return false;
    }

    /** Releases what the store holds. The default does nothing. */
    @Override
    default void close() {}

    /** An in-memory store with the default bounds. */
    static JobStore inMemory() {
        return inMemory(DEFAULT_MAX_QUEUED, DEFAULT_MAX_RETAINED);
    }

    /**
     * An in-memory store for one instance, with a per-owner bound of
     * {@value #DEFAULT_MAX_QUEUED_PER_OWNER} queued jobs (or {@code maxQueued} if lower).
     *
     * @param maxQueued   at most this many queued jobs; past it, {@code create} refuses with
     *                    {@link RejectedJobException.Reason#QUEUE_FULL}
     * @param maxRetained at most this many records in all; past it (after purging expired ones),
     *                    {@code create} refuses with {@link RejectedJobException.Reason#STORE_FULL}
     */
    static JobStore inMemory(int maxQueued, int maxRetained) {
        return inMemory(maxQueued, maxRetained, Math.min(maxQueued, DEFAULT_MAX_QUEUED_PER_OWNER));
    }

    /**
     * An in-memory store for one instance.
     *
     * @param maxQueued         at most this many queued jobs; past it, {@code create} refuses
     *                          with {@link RejectedJobException.Reason#QUEUE_FULL}
     * @param maxRetained       at most this many records in all; past it (after purging expired
     *                          ones), {@code create} refuses with
     *                          {@link RejectedJobException.Reason#STORE_FULL}
     * @param maxQueuedPerOwner at most this many queued jobs of one owner (anonymous jobs are not
     *                          counted); past it, {@code create} refuses with
     *                          {@link RejectedJobException.Reason#OWNER_QUEUE_FULL}
     * @throws IllegalArgumentException if a bound is below 1, or {@code maxQueued} exceeds
     *                                  {@code maxRetained}
     */
    static JobStore inMemory(int maxQueued, int maxRetained, int maxQueuedPerOwner) {
        return new InMemoryJobStore(maxQueued, maxRetained, maxQueuedPerOwner);
    }
}
