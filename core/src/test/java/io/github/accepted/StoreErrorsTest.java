package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.spi.IdempotencyKey;
import io.github.accepted.spi.JobStore;
import io.github.accepted.spi.KeyedCreate;
import io.github.accepted.spi.ListQuery;
import io.github.accepted.spi.Page;
import io.github.accepted.spi.StoreFailureException;
import io.github.accepted.spi.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, item 11: recording an outcome is retried while the store is unavailable for a
 * moment, but not when it failed for good (a defect: retrying cannot mend it).
 */
class StoreErrorsTest {

    record Text(String text) {}

    @Test
    void anOutcomeTheStoreCannotRecordForAMoment_isTriedAgain() {
        OutcomeRefusingStore store = new OutcomeRefusingStore(
                3, () -> new StoreUnavailableException("connection lost", new RuntimeException()));
        try (Accepted accepted = engine(store)) {
            JobId id = accepted.submit("t", "alice", new Text("x")).id();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> accepted.find(id, "alice").orElseThrow().status() == JobStatus.SUCCEEDED);
            assertThat(store.outcomeAttempts).hasValue(4);
        }
    }

    @Test
    void anOutcomeTheStoreFailsToRecordForGood_isNotTriedAgain() throws Exception {
        OutcomeRefusingStore store = new OutcomeRefusingStore(
                Integer.MAX_VALUE, () -> new StoreFailureException("constraint violated", new RuntimeException()));
        try (Accepted accepted = engine(store)) {
            accepted.submit("t", "alice", new Text("x"));
            await().atMost(Duration.ofSeconds(30)).until(() -> store.outcomeAttempts.get() >= 1);
            Thread.sleep(1_000); // an unavailable store is tried again 50, 100, 200, 400 ms later
            assertThat(store.outcomeAttempts).hasValue(1);
        }
    }

    private static Accepted engine(JobStore store) {
        return Accepted.builder()
                .store(store)
                .handler("t", Text.class, (in, ctx) -> in)
                .shutdownTimeout(Duration.ofSeconds(1))
                .build();
    }

    /** A real in-memory store that refuses the first {@code refusals} changes into a terminal state. */
    private static final class OutcomeRefusingStore implements JobStore {

        private final JobStore delegate = JobStore.inMemory();
        private final int refusals;
        private final Supplier<RuntimeException> refusal;
        final AtomicInteger outcomeAttempts = new AtomicInteger();

        OutcomeRefusingStore(int refusals, Supplier<RuntimeException> refusal) {
            this.refusals = refusals;
            this.refusal = refusal;
        }

        @Override
        public boolean replace(Job current, Job next) {
            if (next.status().isTerminal() && outcomeAttempts.incrementAndGet() <= refusals) {
                throw refusal.get();
            }
            return delegate.replace(current, next);
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
        public Optional<Job> find(JobId id) {
            return delegate.find(id);
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
}
