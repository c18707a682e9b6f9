package io.github.accepted;

import io.github.accepted.spi.Heartbeat;
import io.github.accepted.spi.IdempotencyKey;
import io.github.accepted.spi.JobStore;
import io.github.accepted.spi.KeyedCreate;
import io.github.accepted.spi.ListQuery;
import io.github.accepted.spi.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real in-memory store that pretends to hold leases (so the engine heartbeats), records which
 * thread made each read and claim and what each heartbeat carried, and lets a test hold up
 * purges and raise the store's own notifications from a thread of its choice.
 */
final class ObservedStore implements JobStore {

    private final JobStore delegate = JobStore.inMemory(10_000, 10_000);
    private final Duration lease;
    final Queue<String> findThreads = new ConcurrentLinkedQueue<>();
    final Queue<String> claimThreads = new ConcurrentLinkedQueue<>();
    final Queue<List<Job>> heartbeats = new ConcurrentLinkedQueue<>();
    final CountDownLatch purgeEntered = new CountDownLatch(1);
    volatile CountDownLatch purgeRelease = new CountDownLatch(0);
    volatile Consumer<JobId> changeListener = id -> {};
    volatile Consumer<JobId> elsewhereListener = id -> {};
    volatile Runnable workListener = () -> {};

    ObservedStore(Duration lease) {
        this.lease = lease;
    }

    @Override
    public Optional<Duration> leaseTimeout() {
        return Optional.of(lease);
    }

    @Override
    public Heartbeat heartbeat(Collection<Job> running, Instant now) {
        heartbeats.add(List.copyOf(running));
        return Heartbeat.NONE;
    }

    @Override
    public int purgeExpired(Instant now) {
        purgeEntered.countDown();
        try {
            purgeRelease.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return delegate.purgeExpired(now);
    }

    @Override
    public Optional<Job> find(JobId id) {
        findThreads.add(Thread.currentThread().getName());
        return delegate.find(id);
    }

    @Override
    public List<Job> claim(Instant now, int max, java.util.Set<String> types) {
        claimThreads.add(Thread.currentThread().getName());
        return delegate.claim(now, max, types);
    }

    @Override
    public Optional<Job> claimNext(Instant now, java.util.Set<String> types) {
        claimThreads.add(Thread.currentThread().getName());
        return delegate.claimNext(now, types);
    }

    @Override
    public void onChange(Consumer<JobId> listener) {
        changeListener = listener;
        delegate.onChange(listener);
    }

    @Override
    public void onChangeElsewhere(Consumer<JobId> listener) {
        elsewhereListener = listener;
    }

    @Override
    public void onWork(Runnable wakeUp) {
        workListener = wakeUp;
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
    public boolean replace(Job current, Job next) {
        return delegate.replace(current, next);
    }

    @Override
    public boolean delete(Job current) {
        return delegate.delete(current);
    }

    @Override
    public Page list(ListQuery query) {
        return delegate.list(query);
    }
}
