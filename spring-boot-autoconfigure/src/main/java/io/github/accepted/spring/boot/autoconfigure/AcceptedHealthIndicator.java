package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.Accepted;
import io.github.accepted.JobId;
import io.github.accepted.internal.EngineInternals;
import io.github.accepted.spi.JobStore;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code UP} when the store answers a lookup and the engine takes jobs; {@code OUT_OF_SERVICE}
 * while it shuts down (intake stopped); {@code DOWN} when the store cannot be reached. Details:
 * whether it accepts, the queue bound, and how many long-polls wait.
 */
final class AcceptedHealthIndicator implements HealthIndicator {

    private final Accepted accepted;
    private final JobStore store;
    private final int maxQueued;

    AcceptedHealthIndicator(Accepted accepted, JobStore store, int maxQueued) {
        this.accepted = accepted;
        this.store = store;
        this.maxQueued = maxQueued;
    }

    @Override
    public Health health() {
        Health.Builder health;
        try {
            store.find(JobId.random()); // a round trip to the store
            health = accepted.isAccepting() ? Health.up() : Health.outOfService();
        } catch (RuntimeException e) {
            health = Health.down().withDetail("error", "the job store cannot be reached");
        }
        return health.withDetail("store", store.getClass().getSimpleName())
                .withDetail("accepting", accepted.isAccepting())
                .withDetail("maxQueued", maxQueued)
                .withDetail("waitingRequests", EngineInternals.of(accepted).waitingCount())
                .build();
    }
}
