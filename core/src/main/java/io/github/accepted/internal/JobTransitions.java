package io.github.accepted.internal;

import io.github.accepted.Job;
import io.github.accepted.Payload;
import io.github.accepted.Problem;
import io.github.accepted.Progress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Not API. The moves of a {@link Job} that only the engine makes (a store makes
 * {@link Job#claimed(Instant)} and {@link Job#released(Instant)}, which are public); the
 * conformance kit, the benchmarks and the stores' tests reach them here to put jobs into every
 * state. Each checks the move against {@link io.github.accepted.JobStatus}'s table, as the engine's
 * own calls do. {@code Job} registers the implementation when it is loaded.
 */
public final class JobTransitions {

    /** The engine-only moves, implemented by {@link Job}. */
    public interface Moves {
        /** running → running with new progress. */
        Job withProgress(Job job, Progress next, Instant now);

        /** running → running with new metadata. */
        Job withMetadata(Job job, Payload next, Instant now);

        /** running → running with the cancellation request recorded. */
        Job withCancelRequested(Job job, Instant now);

        /** running → queued: a lost attempt, to be tried again. */
        Job requeued(Job job, Instant now);

        /** running → succeeded. */
        Job succeeded(Job job, Payload value, Instant now, Duration retention);

        /** running → failed. */
        Job failed(Job job, Problem problem, Instant now, Duration retention);

        /** queued or running → canceled. */
        Job canceled(Job job, Problem problem, Instant now, Duration retention);

        /** A new job with context to carry to its runs. */
        Job withPropagation(Job job, Map<String, String> context);
    }

    private static volatile @Nullable Moves moves;

    private JobTransitions() {}

    /**
     * Registers the implementation; called once by {@link Job}'s class initialisation.
     *
     * @throws IllegalStateException if called a second time
     */
    public static synchronized void register(Moves value) {
        if (moves != null) {
            throw new IllegalStateException("job transitions are registered already");
        }
        moves = value;
    }

    private static Moves moves() {
        Moves value = moves;
        if (value == null) {
            try {
                Class.forName(Job.class.getName(), true, Job.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            value = moves;
            if (value == null) {
                throw new IllegalStateException("Job did not register its transitions");
            }
        }
        return value;
    }

    /** running → running with new progress. */
    public static Job withProgress(Job job, Progress next, Instant now) {
        return moves().withProgress(job, next, now);
    }

    /** running → running with new metadata for the monitor. */
    public static Job withMetadata(Job job, Payload next, Instant now) {
        return moves().withMetadata(job, next, now);
    }

    /** running → running with the cancellation request recorded. */
    public static Job withCancelRequested(Job job, Instant now) {
        return moves().withCancelRequested(job, now);
    }

    /** running → queued: the attempt was lost and will be tried again. */
    public static Job requeued(Job job, Instant now) {
        return moves().requeued(job, now);
    }

    /** running → succeeded with its result; the record expires {@code retention} later. */
    public static Job succeeded(Job job, Payload value, Instant now, Duration retention) {
        return moves().succeeded(job, value, now, retention);
    }

    /** running → failed with the reason; the record expires {@code retention} later. */
    public static Job failed(Job job, Problem problem, Instant now, Duration retention) {
        return moves().failed(job, problem, now, retention);
    }

    /** queued or running → canceled; the record expires {@code retention} later. */
    public static Job canceled(Job job, Problem problem, Instant now, Duration retention) {
        return moves().canceled(job, problem, now, retention);
    }

    /** This queued job, not yet stored, with the context to carry to its runs. */
    public static Job withPropagation(Job job, Map<String, String> context) {
        return moves().withPropagation(job, context);
    }
}
