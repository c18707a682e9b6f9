package io.github.accepted;

import io.github.accepted.spi.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's periodic work: purging expired jobs, polling the store for queued work besides
 * wake-ups, renewing leases (heartbeats), and recovering the jobs of lost instances. Started by
 * the engine's constructor; {@link #stop()} cancels all of it but the heartbeats, which
 * {@link EngineThreads#shutdown()} stops once no job runs here any more. Thread-safe.
 */
final class Maintenance {

    private static final Logger LOG = LoggerFactory.getLogger(Accepted.class); // where these lines always were

    private final JobStore store;
    private final Clock clock;
    private final Events events;
    private final List<ScheduledFuture<?>> periodic = new ArrayList<>();

    Maintenance(
            JobStore store,
            Clock clock,
            Events events,
            EngineThreads threads,
            Dispatcher dispatcher,
            Duration purgeInterval,
            Duration pollInterval,
            BooleanSupplier accepting) {
        this.store = store;
        this.clock = clock;
        this.events = events;
        periodic.add(threads.every(purgeInterval, "purging expired jobs", this::purgeExpiredAndLog));
        periodic.add(threads.every(pollInterval, "polling for queued jobs", dispatcher::pump));
        store.leaseTimeout()
                .ifPresent(lease -> threads.heartbeats(
                        Duration.ofMillis(Math.max(10, lease.toMillis() / 3)), dispatcher.leases()::heartbeat));
        store.recoveryInterval()
                .ifPresent(interval -> periodic.add(threads.every(
                        Duration.ofMillis(Math.max(10, interval.toMillis())),
                        "recovering lost jobs",
                        dispatcher.leases()::recoverExpiredLeases)));
        store.onInstanceLost(() -> {
            if (accepting.getAsBoolean()) {
                threads.tryIo(() -> quietly("recovering lost jobs", dispatcher.leases()::recoverExpiredLeases));
            }
        });
    }

    /** Removes expired jobs now (it also happens in the background). Returns how many. */
    int purgeExpired() {
        return store.purgeExpired(clock.instant());
    }

    /** Cancels the periodic tasks; heartbeats and job timeouts go on. */
    void stop() {
        periodic.forEach(task -> task.cancel(false));
    }

    private void purgeExpiredAndLog() {
        int purged;
        try {
            purged = purgeExpired();
        } catch (RuntimeException e) {
            events.storeError("purge", e);
            throw e;
        }
        if (purged > 0) {
            LOG.debug("purged {} expired jobs", purged);
        }
    }

    private static void quietly(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed; will try again", what, e);
        }
    }
}
