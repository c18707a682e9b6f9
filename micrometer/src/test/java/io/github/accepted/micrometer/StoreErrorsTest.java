package io.github.accepted.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.accepted.Accepted;
import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.spi.IdempotencyKey;
import io.github.accepted.spi.JobStore;
import io.github.accepted.spi.KeyedCreate;
import io.github.accepted.spi.ListQuery;
import io.github.accepted.spi.Page;
import io.github.accepted.spi.StoreUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A store that cannot be reached is counted by operation, and the submit still fails as before. */
class StoreErrorsTest {

    record Text(String text) {}

    /** The in-memory store, except that creating a job fails as a lost database would. */
    static final class Unreachable implements JobStore {
        private final JobStore delegate = JobStore.inMemory();

        @Override
        public void create(Job job) {
            throw new StoreUnavailableException("could not create a job", new java.io.IOException("connection reset"));
        }

        @Override
        public Optional<Job> createClaimed(Job job, Instant now) {
            create(job);
            return Optional.empty();
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
        public boolean replace(Job current, Job next) {
            return delegate.replace(current, next);
        }

        @Override
        public Optional<Job> claimNext(Instant now, java.util.Set<String> types) {
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

    @Test
    void aFailedCreate_countsOneStoreErrorOfOperationCreate_andNoSubmit() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Accepted accepted = Accepted.builder()
                .listener(AcceptedMetrics.of(registry))
                .store(new Unreachable())
                .handler("t", Text.class, (in, ctx) -> in)
                .build()) {
            assertThatThrownBy(() -> accepted.submit("t", "alice", new Text("x")))
                    .isInstanceOf(StoreUnavailableException.class);

            assertThat(registry.get("accepted.store.errors")
                            .tag("operation", "create")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("accepted.jobs.submitted")
                            .tag("type", "t")
                            .counter()
                            .count())
                    .isZero();
            assertThat(registry.get("accepted.jobs.queued")
                            .tag("type", "t")
                            .gauge()
                            .value())
                    .isZero();
        }
    }
}
