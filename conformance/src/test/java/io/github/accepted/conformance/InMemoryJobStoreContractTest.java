package io.github.accepted.conformance;

import io.github.accepted.spi.JobStore;

/** The JobStore contract on the in-memory store. */
class InMemoryJobStoreContractTest extends JobStoreContract {

    @Override
    protected JobStore newStore(int maxQueued, int maxRetained, int maxQueuedPerOwner) {
        return JobStore.inMemory(maxQueued, maxRetained, maxQueuedPerOwner);
    }
}
