package io.github.accepted.spi;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.RejectedJobException;
import java.time.Instant;
import java.util.Optional;

/**
 * Where jobs live. The engine reads and changes jobs only through this interface, so the same
 * engine runs on one machine (the in-memory store) or several sharing a database.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Every change is a compare-and-set: {@link #replace(Job, Job)} and {@link #delete(Job)}
 *       succeed only if the stored job still has the caller's version. Of two racing changes
 *       exactly one wins; the loser re-reads and decides again.</li>
 *   <li>{@link #claimNext(Instant)} hands each queued job to one caller only.</li>
 *   <li>Bounds are the store's: {@link #create(Job)} refuses work past them, with
 *       {@link RejectedJobException}, before anything is stored.</li>
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

    /** The job with this id, expired or not; empty if there is none. */
    Optional<Job> find(JobId id);

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
     * Claims the oldest queued job: moves it to running ({@link Job#claimed(Instant)}) and
     * returns it. Each queued job is returned to one caller only.
     *
     * @return the claimed job, or empty when none is queued
     */
    Optional<Job> claimNext(Instant now);

    /**
     * Removes {@code current} if the stored job still has its version.
     *
     * @return whether it was removed
     */
    boolean delete(Job current);

    /**
     * One page of an owner's jobs, newest first.
     */
    Page list(ListQuery query);

    /**
     * Removes every job whose {@link Job#expiresAt()} is at or before {@code now}.
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
    default void onChange(java.util.function.Consumer<JobId> listener) {
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
    default void close() {
    }

    /** An in-memory store with the default bounds. */
    static JobStore inMemory() {
        return inMemory(DEFAULT_MAX_QUEUED, DEFAULT_MAX_RETAINED);
    }

    /**
     * An in-memory store for one instance.
     *
     * @param maxQueued   at most this many queued jobs; past it, {@code create} refuses with
     *                    {@link RejectedJobException.Reason#QUEUE_FULL}
     * @param maxRetained at most this many records in all; past it (after purging expired ones),
     *                    {@code create} refuses with {@link RejectedJobException.Reason#STORE_FULL}
     */
    static JobStore inMemory(int maxQueued, int maxRetained) {
        return new InMemoryJobStore(maxQueued, maxRetained);
    }
}
