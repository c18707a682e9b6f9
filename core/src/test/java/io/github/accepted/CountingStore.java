package io.github.accepted;

import io.github.accepted.spi.IdempotencyKey;
import io.github.accepted.spi.JobStore;
import io.github.accepted.spi.KeyedCreate;
import io.github.accepted.spi.ListQuery;
import io.github.accepted.spi.Page;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real in-memory store that counts, per job, the changes into a terminal state that won, and
 * the claims the engine makes.
 */
final class CountingStore implements JobStore {

    private final JobStore delegate = JobStore.inMemory(100_000, 100_000, 100_000);
    final Map<JobId, AtomicInteger> terminalTransitions = new ConcurrentHashMap<>();
    final AtomicInteger claims = new AtomicInteger();

    @Override
    public void create(Job job) {
        delegate.create(job);
    }

    @Override
    public KeyedCreate createIdempotent(Job job, IdempotencyKey key) {
        return delegate.createIdempotent(job, key);
    }

    @Override
    public void onChange(java.util.function.Consumer<JobId> listener) {
        delegate.onChange(listener);
    }

    @Override
    public void onChangeElsewhere(java.util.function.Consumer<JobId> listener) {
        delegate.onChangeElsewhere(listener);
    }

    @Override
    public Optional<Job> find(JobId id) {
        return delegate.find(id);
    }

    @Override
    public boolean replace(Job current, Job next) {
        boolean replaced = delegate.replace(current, next);
        if (replaced && next.status().isTerminal()) {
            terminalTransitions
                    .computeIfAbsent(next.id(), id -> new AtomicInteger())
                    .incrementAndGet();
        }
        return replaced;
    }

    @Override
    public Optional<Job> claimNext(Instant now, java.util.Set<String> types) {
        claims.incrementAndGet();
        return delegate.claimNext(now, types);
    }

    @Override
    public java.util.List<Job> claim(Instant now, int max, java.util.Set<String> types) {
        claims.incrementAndGet();
        return delegate.claim(now, max, types);
    }

    @Override
    public Optional<Job> createClaimed(Job job, Instant now) {
        return delegate.createClaimed(job, now);
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
