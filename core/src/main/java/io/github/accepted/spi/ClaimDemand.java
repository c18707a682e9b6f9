package io.github.accepted.spi;

import io.github.accepted.Job;
import java.util.List;
import java.util.Set;

/**
 * The engine's wish for queued jobs, for a store that can claim them along with a write it makes
 * anyway (a flush of outcomes, say: acknowledgements and the next claim in one transaction). The
 * engine registers one with {@link JobStore#onClaimDemand(ClaimDemand)}; a store that never uses
 * it loses nothing, since the engine claims as usual whenever a worker is free.
 *
 * <p>Protocol: before its write, the store may ask {@link #wanted()} whether to open a
 * transaction at all; after its own statements, just before the claim, it calls
 * {@link #reserve(int)}: the engine sets aside room for that many jobs (free workers), and the
 * store claims at most that many of {@link #types()}, as {@link JobStore#claim} would, in the
 * same transaction. Reserving late keeps a write that waits (for a row lock, say) from holding
 * a free worker meanwhile. After the commit
 * it hands them over with {@link #claimed(List, int)}; if the claim or the write failed, it calls
 * {@link #failed(int)}, so that the room is given back. Every reservation is settled exactly
 * once. Thread-safe; no method blocks.
 */
public interface ClaimDemand {

    /** The job types the engine has handlers for: claim only these. */
    Set<String> types();

    /** How many jobs the engine would take now, without reserving room: a hint, 0 if none. */
    int wanted();

    /**
     * Sets aside room for up to {@code max} jobs and returns how many the store may claim now
     * (0: none; then nothing is to be settled).
     */
    int reserve(int max);

    /**
     * Hands over the jobs claimed under a reservation of {@code reserved} (at most that many),
     * after their commit; the engine starts them and gives back the room left over.
     */
    void claimed(List<Job> jobs, int reserved);

    /** The claim under a reservation of {@code reserved} was not made (its transaction failed). */
    void failed(int reserved);
}
