package io.github.accepted.spi;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The outbox of one process: a map from job id to its callbacks, changed under a lock per job,
 * and the ids of jobs with pending callbacks, so that a claim looks at those only.
 */
final class InMemoryCallbackOutbox implements CallbackOutbox {

    private final Map<JobId, List<Callback>> byJob = new ConcurrentHashMap<>();
    private final Set<JobId> withPending = ConcurrentHashMap.newKeySet();

    @Override
    public void subscribe(List<Callback> callbacks) {
        if (callbacks.isEmpty()) {
            return;
        }
        List<Callback> copy = List.copyOf(callbacks);
        JobId jobId = copy.get(0).jobId();
        if (copy.stream().anyMatch(c -> !c.jobId().equals(jobId) || c.state() != CallbackState.WAITING)) {
            throw new IllegalArgumentException("callbacks must all be waiting, of one job");
        }
        if (byJob.putIfAbsent(jobId, copy) != null) {
            throw new IllegalArgumentException("job " + jobId + " has callbacks already");
        }
    }

    @Override
    public void forget(JobId jobId) {
        byJob.remove(jobId);
        withPending.remove(jobId);
    }

    @Override
    public boolean mayBeWaiting(JobId jobId) {
        List<Callback> callbacks = byJob.get(jobId);
        return callbacks != null && callbacks.stream().anyMatch(c -> c.state() == CallbackState.WAITING);
    }

    @Override
    public boolean jobChanged(Job job) {
        if (!job.status().isTerminal()) {
            return false;
        }
        boolean[] pending = {false};
        byJob.computeIfPresent(job.id(), (id, callbacks) -> {
            List<Callback> next = new ArrayList<>(callbacks.size());
            for (Callback c : callbacks) {
                Callback ended = c.state() == CallbackState.WAITING ? c.ended(job.status(), job.updatedAt()) : c;
                pending[0] |= c.state() == CallbackState.WAITING && ended.state() == CallbackState.PENDING;
                next.add(ended);
            }
            return List.copyOf(next);
        });
        if (pending[0]) {
            withPending.add(job.id()); // after the change: a claim that finds none pending here removes nothing new
        }
        return pending[0];
    }

    @Override
    public List<Callback> claim(Instant now, int max, Duration lease) {
        List<Callback> due = new ArrayList<>();
        for (Iterator<JobId> ids = withPending.iterator(); ids.hasNext(); ) { // a concurrent set: no CME
            JobId jobId = ids.next();
            List<Callback> callbacks = byJob.getOrDefault(jobId, List.of());
            if (callbacks.stream().noneMatch(c -> c.state() == CallbackState.PENDING)) {
                ids.remove(); // pending is never re-entered: only waiting callbacks become pending
                continue;
            }
            for (Callback c : callbacks) {
                if (c.state() == CallbackState.PENDING
                        && !c.dueAt().orElseThrow().isAfter(now)) {
                    due.add(c);
                }
            }
        }
        due.sort(Comparator.comparing(c -> c.dueAt().orElseThrow()));
        List<Callback> claimed = new ArrayList<>();
        for (Callback c : due) {
            if (claimed.size() >= max) {
                break;
            }
            Callback attempting = c.attempting(now.plus(lease));
            if (replace(c, attempting, now)) {
                claimed.add(attempting);
            }
        }
        return claimed;
    }

    @Override
    public boolean record(Callback attempted, Callback next) {
        return replace(attempted, next, null);
    }

    /** Replaces {@code current} if it is unchanged; when {@code dueBy} is given, only if still due then. */
    private boolean replace(Callback current, Callback next, @Nullable Instant dueBy) {
        boolean[] done = {false};
        byJob.computeIfPresent(current.jobId(), (id, callbacks) -> {
            if (current.index() >= callbacks.size()) {
                return callbacks;
            }
            Callback stored = callbacks.get(current.index());
            boolean same = stored.state() == current.state()
                    && stored.attempts() == current.attempts()
                    && (dueBy == null || !stored.dueAt().orElse(Instant.MAX).isAfter(dueBy));
            if (!same) {
                return callbacks;
            }
            List<Callback> copy = new ArrayList<>(callbacks);
            copy.set(current.index(), next);
            done[0] = true;
            return List.copyOf(copy);
        });
        return done[0];
    }

    @Override
    public List<Callback> of(JobId jobId) {
        return byJob.getOrDefault(jobId, List.of());
    }

    @Override
    public int purge(Instant before) {
        int[] removed = {0};
        byJob.entrySet().removeIf(entry -> {
            boolean old = entry.getValue().stream()
                    .allMatch(c -> c.state() != CallbackState.WAITING
                            && c.state() != CallbackState.PENDING
                            && c.endedAt().orElse(Instant.MAX).isBefore(before));
            if (old) {
                removed[0] += entry.getValue().size();
                withPending.remove(entry.getKey());
            }
            return old;
        });
        return removed[0];
    }
}
