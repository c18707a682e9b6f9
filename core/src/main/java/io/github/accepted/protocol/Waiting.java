package io.github.accepted.protocol;

import io.github.accepted.Accepted;
import io.github.accepted.Job;
import io.github.accepted.internal.EngineInternals;
import io.github.accepted.spi.Fetch;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Waits, holding no thread, for a job to finish or a deadline to pass. */
final class Waiting {

    private Waiting() {}

    /** Completes with the job once terminal, or as it is at the deadline (empty if it vanished). */
    static CompletableFuture<Optional<Job>> untilDone(Accepted accepted, Job job, String owner, Duration wait) {
        return untilDone(accepted, job, owner, System.nanoTime() + wait.toNanos());
    }

    private static CompletableFuture<Optional<Job>> untilDone(Accepted accepted, Job job, String owner, long deadline) {
        long left = deadline - System.nanoTime();
        if (job.status().isTerminal() || left <= 0) {
            return CompletableFuture.completedFuture(Optional.of(job));
        }
        return EngineInternals.of(accepted)
                .awaitChange(job.id(), owner, job.version(), Duration.ofNanos(left), Fetch.ALL)
                .thenCompose(now -> now.isEmpty()
                        ? CompletableFuture.completedFuture(now)
                        : untilDone(accepted, now.get(), owner, deadline));
    }
}
