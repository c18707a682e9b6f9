package io.github.accepted;

import io.github.accepted.spi.IdempotencyKey;
import io.github.accepted.spi.JobStore;
import io.github.accepted.spi.KeyedCreate;
import io.github.accepted.spi.ListQuery;
import io.github.accepted.spi.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real in-memory store with leases, holding jobs that another instance claimed and then died
 * with: {@link #abandon(Job, Instant)} claims a job as that instance, and {@link #expiredLeases} reports
 * it until it is taken back.
 */
final class AbandonedJobStore implements JobStore {

    private final JobStore delegate = JobStore.inMemory();
    private final Set<JobId> abandoned = ConcurrentHashMap.newKeySet();

    /** Stores {@code job} and claims it as an instance that then dies. */
    Job abandon(Job job, Instant now) {
        delegate.create(job);
        Job claimed = delegate.claimNext(now, Set.of(job.type())).orElseThrow();
        abandoned.add(claimed.id());
        return claimed;
    }

    @Override
    public Optional<Duration> leaseTimeout() {
        return Optional.of(Duration.ofSeconds(1));
    }

    @Override
    public Optional<Duration> recoveryInterval() {
        return Optional.of(Duration.ofMillis(20));
    }

    @Override
    public List<Job> expiredLeases(Instant now, int limit) {
        return abandoned.stream()
                .map(delegate::find)
                .flatMap(Optional::stream)
                .filter(job -> job.status() == JobStatus.RUNNING && job.attempt() == 1)
                .limit(limit)
                .toList();
    }

    @Override
    public boolean reclaim(Job expired, Job next, Instant now, Instant runAfter) {
        boolean taken = delegate.replace(expired, next);
        if (taken) {
            abandoned.remove(expired.id());
        }
        return taken;
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public void create(Job job) {
        delegate.create(job);
    }

    @Override
    public KeyedCreate createIdempotent(Job job, IdempotencyKey key) {
        return delegate.createIdempotent(job, key);
    }

    @Override
    public Optional<Job> createClaimed(Job job, Instant now) {
        return delegate.createClaimed(job, now);
    }

    @Override
    public Optional<Job> find(JobId id) {
        return delegate.find(id);
    }

    @Override
    public boolean replace(Job current, Job next) {
        return delegate.replace(current, next);
    }

    @Override
    public Optional<Job> claimNext(Instant now, Set<String> types) {
        return delegate.claimNext(now, types);
    }

    @Override
    public boolean delete(Job current) {
        return delegate.delete(current);
    }

    @Override
    public Page list(ListQuery query) {
        return delegate.list(query);
    }

    @Override
    public int purgeExpired(Instant now) {
        return delegate.purgeExpired(now);
    }
}
