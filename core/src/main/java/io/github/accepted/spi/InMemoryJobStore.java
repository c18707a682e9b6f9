package io.github.accepted.spi;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.RejectedJobException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * {@link JobStore#inMemory(int, int, int)}: jobs in a concurrent map, a FIFO of queued ids per
 * type, counts of queued jobs per owner, and an index by owner for listing. Each change is an
 * atomic compare-and-set on the job's version.
 */
final class InMemoryJobStore implements JobStore {

    private static final Duration STORE_FULL_RETRY = Duration.ofSeconds(30);

    /** Owner ascending, then newest first; a null id sorts before every id of its instant. */
    private static final Comparator<OwnerKey> ORDER = (a, b) -> {
        int c = a.owner.compareTo(b.owner);
        if (c != 0) {
            return c;
        }
        c = b.createdAt.compareTo(a.createdAt);
        if (c != 0) {
            return c;
        }
        if (a.id == b.id) {
            return 0;
        }
        if (a.id == null) {
            return -1;
        }
        if (b.id == null) {
            return 1;
        }
        return b.id.compareTo(a.id);
    };

    private final int maxQueued;
    private final int maxRetained;
    private final int maxQueuedPerOwner;
    /** Queued jobs per owner (anonymous ones not counted); an owner with none has no entry. */
    private final ConcurrentHashMap<String, Integer> queuedByOwner = new ConcurrentHashMap<>();

    private final QueueDrain drain = new QueueDrain();
    private final ConcurrentHashMap<JobId, Job> jobs = new ConcurrentHashMap<>();
    /** Queued ids in order of arrival, one FIFO per job type. */
    private final ConcurrentHashMap<String, ConcurrentLinkedQueue<JobId>> queues = new ConcurrentHashMap<>();

    private final ConcurrentSkipListSet<OwnerKey> byOwner = new ConcurrentSkipListSet<>(ORDER);
    private final ConcurrentHashMap<String, KeyEntry> keys = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<JobId, String> keyOfJob = new ConcurrentHashMap<>();
    /** Idempotent creates of one key are serialized by one of these (a power of two of them). */
    private final Object[] keyLocks = new Object[64];

    private final List<Consumer<JobId>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger retained = new AtomicInteger();

    InMemoryJobStore(int maxQueued, int maxRetained, int maxQueuedPerOwner) {
        if (maxQueued < 1 || maxRetained < 1 || maxQueuedPerOwner < 1) {
            throw new IllegalArgumentException("bounds must be at least 1");
        }
        if (maxQueued > maxRetained) {
            throw new IllegalArgumentException("maxQueued must not exceed maxRetained");
        }
        this.maxQueued = maxQueued;
        this.maxRetained = maxRetained;
        this.maxQueuedPerOwner = maxQueuedPerOwner;
        for (int i = 0; i < keyLocks.length; i++) {
            keyLocks[i] = new Object();
        }
    }

    @Override
    public void create(Job job) {
        insert(job, null);
    }

    /** The claimed job is stored directly: it never waits in the queue, so the queue bound does not apply. */
    @Override
    public Optional<Job> createClaimed(Job job, Instant now) {
        return Optional.of(insert(job, Objects.requireNonNull(now, "now")));
    }

    /** Stores new {@code job} within the bounds: queued, or claimed at {@code claimAt} if not null. */
    private Job insert(Job job, @Nullable Instant claimAt) {
        Objects.requireNonNull(job, "job");
        if (job.status() != JobStatus.QUEUED || job.version() != 1) {
            throw new IllegalArgumentException("a new job is queued, at version 1");
        }
        boolean toBeQueued = claimAt == null;
        Job stored = claimAt == null ? job : job.claimed(claimAt);
        if (!reserve(retained, maxRetained)) {
            purgeExpired(job.createdAt());
            if (!reserve(retained, maxRetained)) {
                throw new RejectedJobException(
                        RejectedJobException.Reason.STORE_FULL,
                        "the store holds its maximum of " + maxRetained + " jobs",
                        STORE_FULL_RETRY);
            }
        }
        if (toBeQueued && !reserve(queued, maxQueued)) {
            retained.decrementAndGet();
            throw new RejectedJobException(
                    RejectedJobException.Reason.QUEUE_FULL,
                    "the queue holds its maximum of " + maxQueued + " jobs",
                    drain.retryAfter(queued.get()));
        }
        if (toBeQueued && !reserveForOwner(job.owner())) {
            retained.decrementAndGet();
            queued.decrementAndGet();
            throw new RejectedJobException(
                    RejectedJobException.Reason.OWNER_QUEUE_FULL,
                    "this owner has its maximum of " + maxQueuedPerOwner + " queued jobs",
                    drain.retryAfter(maxQueuedPerOwner));
        }
        if (jobs.putIfAbsent(job.id(), stored) != null) {
            if (toBeQueued) {
                queued.decrementAndGet();
                releaseForOwner(job.owner());
            }
            retained.decrementAndGet();
            throw new IllegalArgumentException("job " + job.id() + " exists already");
        }
        if (!job.isAnonymous()) {
            byOwner.add(OwnerKey.of(job));
        }
        if (toBeQueued) {
            enqueue(job);
        }
        return stored;
    }

    /**
     * Under the lock of the key's slot, not inside {@code keys.compute}: making room may purge an
     * expired keyed job, whose delete updates the map of keys too, and a map update from within
     * another update of the same map is not allowed (issue 19, item 10: it lost the new key).
     */
    @Override
    public KeyedCreate createIdempotent(Job job, IdempotencyKey key) {
        String slot = key.scope() + '\u0000' + key.key();
        synchronized (keyLocks[slot.hashCode() & (keyLocks.length - 1)]) {
            KeyEntry existing = keys.get(slot);
            if (existing != null) {
                Job named = jobs.get(existing.jobId());
                if (named != null) {
                    return new KeyedCreate(named, false, existing.fingerprint());
                }
            }
            create(job); // throws, leaving the key as it was, when the store is full
            keyOfJob.put(job.id(), slot);
            keys.put(slot, new KeyEntry(job.id(), key.fingerprint()));
            return new KeyedCreate(job, true, key.fingerprint());
        }
    }

    @Override
    public void onChange(Consumer<JobId> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private void changed(JobId id) {
        for (Consumer<JobId> listener : listeners) {
            listener.accept(id);
        }
    }

    /** Counts one more queued job of {@code owner}, if within its bound (anonymous: always). */
    private boolean reserveForOwner(String owner) {
        if (owner.isEmpty()) {
            return true;
        }
        boolean[] reserved = {false};
        queuedByOwner.compute(owner, (o, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxQueuedPerOwner) {
                return n;
            }
            reserved[0] = true;
            return count + 1;
        });
        return reserved[0];
    }

    /** Counts one queued job of {@code owner} less (it was claimed, canceled, removed). */
    private void releaseForOwner(String owner) {
        if (!owner.isEmpty()) {
            queuedByOwner.computeIfPresent(owner, (o, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Counts one queued job of {@code owner} more, past its bound if need be (a requeue). */
    private void addForOwner(String owner) {
        if (!owner.isEmpty()) {
            queuedByOwner.merge(owner, 1, Integer::sum);
        }
    }

    private static boolean reserve(AtomicInteger counter, int max) {
        while (true) {
            int now = counter.get();
            if (now >= max) {
                return false;
            }
            if (counter.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    @Override
    public Optional<Job> find(JobId id) {
        return Optional.ofNullable(jobs.get(Objects.requireNonNull(id, "id")));
    }

    @Override
    public boolean replace(Job current, Job next) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(next, "next");
        if (!current.id().equals(next.id()) || next.version() != current.version() + 1) {
            throw new IllegalArgumentException("next must be the following version of the same job");
        }
        boolean[] replaced = {false};
        jobs.computeIfPresent(current.id(), (id, stored) -> {
            if (stored.version() != current.version()) {
                return stored;
            }
            replaced[0] = true;
            return next;
        });
        if (replaced[0]) {
            boolean wasQueued = current.status() == JobStatus.QUEUED;
            boolean isQueued = next.status() == JobStatus.QUEUED;
            if (wasQueued && !isQueued) {
                queued.decrementAndGet();
                releaseForOwner(current.owner());
                drain.departed(1);
            } else if (!wasQueued && isQueued) {
                queued.incrementAndGet();
                addForOwner(next.owner());
                enqueue(next);
            }
            changed(next.id());
        }
        return replaced[0];
    }

    private void enqueue(Job job) {
        queues.computeIfAbsent(job.type(), type -> new ConcurrentLinkedQueue<>())
                .add(job.id());
    }

    /** Takes the oldest of the heads of the types' queues, until one is claimed or none is left. */
    @Override
    public Optional<Job> claimNext(Instant now, Set<String> types) {
        Objects.requireNonNull(types, "types");
        while (true) {
            ConcurrentLinkedQueue<JobId> oldest = null;
            Instant oldestAt = null;
            for (String type : types) {
                ConcurrentLinkedQueue<JobId> queue = queues.get(type);
                Job head = queue == null ? null : queuedHead(queue);
                if (head != null && (oldestAt == null || head.createdAt().isBefore(oldestAt))) {
                    oldest = queue;
                    oldestAt = head.createdAt();
                }
            }
            if (oldest == null) {
                return Optional.empty();
            }
            JobId id = oldest.poll();
            Job job = id == null ? null : jobs.get(id);
            while (job != null && job.status() == JobStatus.QUEUED) {
                Job claimed = job.claimed(now);
                if (replace(job, claimed)) {
                    return Optional.of(claimed);
                }
                job = jobs.get(id);
            }
        }
    }

    /**
     * The queued job at the head of {@code queue}, dropping ids of jobs no longer queued
     * (canceled or removed while queued: a job leaves the queue's order only then, or when
     * claimed, and a requeued job is added again).
     */
    private @Nullable Job queuedHead(ConcurrentLinkedQueue<JobId> queue) {
        JobId id;
        while ((id = queue.peek()) != null) {
            Job job = jobs.get(id);
            if (job != null && job.status() == JobStatus.QUEUED) {
                return job;
            }
            queue.remove(id);
        }
        return null;
    }

    @Override
    public boolean delete(Job current) {
        Objects.requireNonNull(current, "current");
        boolean[] removed = {false};
        jobs.computeIfPresent(current.id(), (id, stored) -> {
            if (stored.version() != current.version()) {
                return stored;
            }
            removed[0] = true;
            return null;
        });
        if (removed[0]) {
            retained.decrementAndGet();
            if (current.status() == JobStatus.QUEUED) {
                queued.decrementAndGet();
                releaseForOwner(current.owner());
                drain.departed(1);
            }
            if (!current.isAnonymous()) {
                byOwner.remove(OwnerKey.of(current));
            }
            String slot = keyOfJob.remove(current.id());
            if (slot != null) {
                keys.computeIfPresent(slot, (k, entry) -> entry.jobId().equals(current.id()) ? null : entry);
            }
            changed(current.id());
        }
        return removed[0];
    }

    @Override
    public Page list(ListQuery query) {
        OwnerKey from = query.after()
                .map(cursor -> new OwnerKey(query.owner(), cursor.createdAt(), cursor.id()))
                .orElse(new OwnerKey(query.owner(), Instant.MAX, null));
        List<Job> found = new ArrayList<>(Math.min(query.limit() + 1, 64));
        for (OwnerKey key : byOwner.tailSet(from, false)) {
            if (!key.owner.equals(query.owner())) {
                break;
            }
            Job job = jobs.get(key.id);
            if (job != null && query.accepts(job.status())) {
                found.add(job);
                if (found.size() > query.limit()) {
                    break;
                }
            }
        }
        return Page.fromOverfetch(found, query.limit());
    }

    @Override
    public int purgeExpired(Instant now) {
        int purged = 0;
        for (Job job : jobs.values()) {
            if (job.isExpiredAt(now) && delete(job)) {
                purged++;
            }
        }
        return purged;
    }

    private record KeyEntry(JobId jobId, String fingerprint) {}

    private record OwnerKey(
            String owner, Instant createdAt, @Nullable JobId id) {
        static OwnerKey of(Job job) {
            return new OwnerKey(job.owner(), job.createdAt(), job.id());
        }
    }
}
