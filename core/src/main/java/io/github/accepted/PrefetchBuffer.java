package io.github.accepted;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Claim-ahead: jobs claimed for this instance (under its lease) that wait, oldest first, for a
 * worker to become free. A worker whose job ends takes the next one from here without a round
 * trip to the store. Once {@linkplain #close() closed} (dispatching stopped) it keeps nothing:
 * {@link #keep} refuses, and the caller gives the jobs back to the queue. Thread-safe.
 */
final class PrefetchBuffer {

    /** Guarded by itself. */
    private final ArrayDeque<Job> jobs = new ArrayDeque<>();
    /**
     * {@code jobs.size()}, written under the lock and read without it: every submit and every
     * worker that frees up asks, and with claim-ahead off (the default) the answer is always 0; a
     * lock taken for it made request threads wait for a descheduled holder under load.
     */
    private volatile int size;
    /** Guarded by {@link #jobs}. */
    private boolean closed;

    /** How many jobs wait here. */
    int size() {
        return size;
    }

    /** Takes up to {@code max} jobs, oldest first. */
    List<Job> take(int max) {
        if (max == 0 || size == 0) {
            return List.of();
        }
        synchronized (jobs) {
            List<Job> taken = new ArrayList<>(Math.min(max, jobs.size()));
            while (taken.size() < max && !jobs.isEmpty()) {
                taken.add(jobs.removeFirst());
            }
            size = jobs.size();
            return taken;
        }
    }

    /** Keeps claimed jobs until a worker is free; false (keeping none) once closed. */
    boolean keep(List<Job> claimed) {
        synchronized (jobs) {
            if (closed) {
                return false;
            }
            jobs.addAll(claimed);
            size = jobs.size();
            return true;
        }
    }

    /** Takes the job {@code id} out, if it is here. */
    Optional<Job> remove(JobId id) {
        synchronized (jobs) {
            for (Iterator<Job> it = jobs.iterator(); it.hasNext(); ) {
                Job job = it.next();
                if (job.id().equals(id)) {
                    it.remove();
                    size = jobs.size();
                    return Optional.of(job);
                }
            }
            return Optional.empty();
        }
    }

    /** Whether the job {@code id} waits here. */
    boolean contains(JobId id) {
        return version(id) >= 0;
    }

    /** The version of the job {@code id} as claimed, or -1 if it does not (any longer) wait here. */
    long version(JobId id) {
        synchronized (jobs) {
            for (Job job : jobs) {
                if (job.id().equals(id)) {
                    return job.version();
                }
            }
            return -1;
        }
    }

    /** Adds every waiting job to {@code into} (whose leases a heartbeat renews). */
    void addAllTo(List<Job> into) {
        synchronized (jobs) {
            into.addAll(jobs);
        }
    }

    /** Keeps nothing from now on; returns what waited, to give back to the queue. */
    List<Job> close() {
        synchronized (jobs) {
            closed = true;
            List<Job> waiting = List.copyOf(jobs);
            jobs.clear();
            size = 0;
            return waiting;
        }
    }
}
