package io.github.accepted.internal;

import io.github.accepted.Accepted;
import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.spi.Callback;
import io.github.accepted.spi.Fetch;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Not API. What the protocol engine and Accepted's other modules need of an {@link Accepted}
 * engine beyond its public methods: long-poll waits, gauges, run-time estimates. Obtained with
 * {@link #of(Accepted)}; {@code Accepted} registers the implementation when it is loaded (the
 * JDK's {@code SharedSecrets} pattern). Thread-safe.
 */
public interface EngineInternals {

    /** The internals of {@code engine}. */
    static EngineInternals of(Accepted engine) {
        return Registry.access().apply(engine); // an instance exists, so its class registered already
    }

    /**
     * Registers how an engine's internals are reached. Called once, by {@link Accepted}'s class
     * initialisation.
     *
     * @throws IllegalStateException if called a second time
     */
    static void register(Function<Accepted, EngineInternals> access) {
        Registry.register(access);
    }

    /**
     * Waits, without holding a thread, until job {@code id} changes past {@code afterVersion}
     * (any change of status, progress or result), is terminal, disappears, or {@code timeout}
     * passes. Completes with the job as {@code owner} may see it then, read with {@code fetch}.
     */
    CompletableFuture<Optional<Job>> awaitChange(
            JobId id, String owner, long afterVersion, Duration timeout, Fetch fetch);

    /** How many {@link #awaitChange} calls are waiting now. */
    int waitingCount();

    /**
     * How long jobs of this type have been running lately (a moving average of recent
     * successes on this instance); empty before the first success.
     */
    Optional<Duration> typicalRunTime(String type);

    /** Removes expired jobs now (it also happens in the background). Returns how many. */
    int purgeExpired();

    /**
     * The delivery state of the callbacks the client asked for on job {@code id}; empty when
     * there are none or callbacks are not enabled.
     */
    List<Callback> callbacks(JobId id);

    /** Holds the registered access function. */
    final class Registry {
        private static volatile @Nullable Function<Accepted, EngineInternals> access;

        private Registry() {}

        static synchronized void register(Function<Accepted, EngineInternals> value) {
            if (access != null) {
                throw new IllegalStateException("engine internals are registered already");
            }
            access = value;
        }

        static Function<Accepted, EngineInternals> access() {
            Function<Accepted, EngineInternals> value = access;
            if (value == null) {
                throw new IllegalStateException("Accepted is not initialised");
            }
            return value;
        }
    }
}
