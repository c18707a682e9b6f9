package io.github.accepted;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of one job, as a {@link io.github.accepted.spi.JobStore} keeps it.
 *
 * <p>Every change makes a new snapshot with {@code version + 1} through one of the transition
 * methods below; each checks the move against {@link JobStatus}'s table and throws
 * {@link IllegalTransitionException} when it is not allowed. A store accepts the new snapshot
 * only if the one it holds still has the old version (compare-and-set), so of two racing
 * changes exactly one wins.
 *
 * @param id              the job's id
 * @param type            the name of the handler that runs it
 * @param owner           who submitted it; empty for an anonymous job (reachable by id alone)
 * @param status          where it is in its life cycle
 * @param version         grows by one with every change; starts at 1
 * @param attempt         how many times a worker has claimed it; 0 while never run
 * @param progress        what the handler last reported
 * @param metadata        small JSON the handler published for the monitor
 * @param input           the input it was submitted with (JSON)
 * @param result          present once succeeded
 * @param error           present once failed or canceled
 * @param cancelRequested whether its owner asked to cancel it while it ran
 * @param createdAt       when it was accepted
 * @param updatedAt       when it last changed
 * @param startedAt       when its current attempt started
 * @param finishedAt      when it reached a terminal state
 * @param expiresAt       when its record will be purged (terminal jobs only)
 * @param propagation     context carried from the submit to every run (a trace's {@code traceparent},
 *                        say), as {@link io.github.accepted.spi.JobContextPropagator}s captured it;
 *                        empty by default. Set once at submit; never changes after.
 */
public record Job(
        JobId id,
        String type,
        String owner,
        JobStatus status,
        long version,
        int attempt,
        Progress progress,
        Optional<Payload> metadata,
        Payload input,
        Optional<Payload> result,
        Optional<Problem> error,
        boolean cancelRequested,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt,
        Optional<Instant> expiresAt,
        Map<String, String> propagation) {

    /** Checks that no component is null and that the version and attempt make sense. */
    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        propagation = Map.copyOf(Objects.requireNonNull(propagation, "propagation"));
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1");
        }
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative");
        }
    }

    /** A job without {@link #propagation()} context. */
    public Job(
            JobId id,
            String type,
            String owner,
            JobStatus status,
            long version,
            int attempt,
            Progress progress,
            Optional<Payload> metadata,
            Payload input,
            Optional<Payload> result,
            Optional<Problem> error,
            boolean cancelRequested,
            Instant createdAt,
            Instant updatedAt,
            Optional<Instant> startedAt,
            Optional<Instant> finishedAt,
            Optional<Instant> expiresAt) {
        this(
                id,
                type,
                owner,
                status,
                version,
                attempt,
                progress,
                metadata,
                input,
                result,
                error,
                cancelRequested,
                createdAt,
                updatedAt,
                startedAt,
                finishedAt,
                expiresAt,
                Map.of());
    }

    /** A new job, queued at {@code now}, version 1. */
    public static Job queued(JobId id, String type, String owner, Payload input, Instant now) {
        return new Job(
                id,
                type,
                owner,
                JobStatus.QUEUED,
                1,
                0,
                Progress.NONE,
                Optional.empty(),
                input,
                Optional.empty(),
                Optional.empty(),
                false,
                now,
                now,
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    /** This queued job, not yet stored, with the context to carry to its runs. */
    public Job withPropagation(Map<String, String> context) {
        if (status != JobStatus.QUEUED || version != 1) {
            throw new IllegalStateException("context is set on a new job only");
        }
        return new Job(
                id,
                type,
                owner,
                status,
                version,
                attempt,
                progress,
                metadata,
                input,
                result,
                error,
                cancelRequested,
                createdAt,
                updatedAt,
                startedAt,
                finishedAt,
                expiresAt,
                context);
    }

    /** Whether the job belongs to nobody in particular (its id is its only key). */
    public boolean isAnonymous() {
        return owner.isEmpty();
    }

    /** Whether the record has outlived its retention at {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return expiresAt.isPresent() && !expiresAt.get().isAfter(now);
    }

    /** queued → running: a worker claimed it; the attempt count grows. */
    public Job claimed(Instant now) {
        require(JobStatus.QUEUED, JobStatus.RUNNING);
        return new Job(
                id,
                type,
                owner,
                JobStatus.RUNNING,
                version + 1,
                attempt + 1,
                Progress.NONE,
                metadata,
                input,
                result,
                error,
                false,
                createdAt,
                now,
                Optional.of(now),
                finishedAt,
                expiresAt,
                propagation);
    }

    /** running → running with new progress. */
    public Job withProgress(Progress next, Instant now) {
        require(JobStatus.RUNNING, JobStatus.RUNNING);
        return new Job(
                id,
                type,
                owner,
                status,
                version + 1,
                attempt,
                Objects.requireNonNull(next, "progress"),
                metadata,
                input,
                result,
                error,
                cancelRequested,
                createdAt,
                now,
                startedAt,
                finishedAt,
                expiresAt,
                propagation);
    }

    /** running → running with new metadata for the monitor. */
    public Job withMetadata(Payload next, Instant now) {
        require(JobStatus.RUNNING, JobStatus.RUNNING);
        return new Job(
                id,
                type,
                owner,
                status,
                version + 1,
                attempt,
                progress,
                Optional.of(next),
                input,
                result,
                error,
                cancelRequested,
                createdAt,
                now,
                startedAt,
                finishedAt,
                expiresAt,
                propagation);
    }

    /** running → running with the cancellation request recorded. */
    public Job withCancelRequested(Instant now) {
        require(JobStatus.RUNNING, JobStatus.RUNNING);
        return new Job(
                id,
                type,
                owner,
                status,
                version + 1,
                attempt,
                progress,
                metadata,
                input,
                result,
                error,
                true,
                createdAt,
                now,
                startedAt,
                finishedAt,
                expiresAt,
                propagation);
    }

    /** running → queued: the attempt was lost (its worker died, say) and will be tried again. */
    public Job requeued(Instant now) {
        check(JobStatus.QUEUED);
        return new Job(
                id,
                type,
                owner,
                JobStatus.QUEUED,
                version + 1,
                attempt,
                Progress.NONE,
                metadata,
                input,
                result,
                error,
                false,
                createdAt,
                now,
                Optional.empty(),
                finishedAt,
                expiresAt,
                propagation);
    }

    /**
     * running → queued: a claimed attempt handed back before it started (a prefetched job, when
     * its instance closes). The attempt is not counted: {@link #attempt()} is one less again.
     */
    public Job released(Instant now) {
        check(JobStatus.QUEUED);
        return new Job(
                id,
                type,
                owner,
                JobStatus.QUEUED,
                version + 1,
                Math.max(0, attempt - 1),
                Progress.NONE,
                metadata,
                input,
                result,
                error,
                false,
                createdAt,
                now,
                Optional.empty(),
                finishedAt,
                expiresAt,
                propagation);
    }

    /** running → succeeded with its result; the record expires {@code retention} later. */
    public Job succeeded(Payload value, Instant now, Duration retention) {
        check(JobStatus.SUCCEEDED);
        return new Job(
                id,
                type,
                owner,
                JobStatus.SUCCEEDED,
                version + 1,
                attempt,
                new Progress(100, progress.message()),
                metadata,
                input,
                Optional.of(value),
                Optional.empty(),
                cancelRequested,
                createdAt,
                now,
                startedAt,
                Optional.of(now),
                Optional.of(now.plus(retention)),
                propagation);
    }

    /** running → failed with the reason; the record expires {@code retention} later. */
    public Job failed(Problem problem, Instant now, Duration retention) {
        check(JobStatus.FAILED);
        return new Job(
                id,
                type,
                owner,
                JobStatus.FAILED,
                version + 1,
                attempt,
                progress,
                metadata,
                input,
                Optional.empty(),
                Optional.of(problem),
                cancelRequested,
                createdAt,
                now,
                startedAt,
                Optional.of(now),
                Optional.of(now.plus(retention)),
                propagation);
    }

    /** queued or running → canceled; the record expires {@code retention} later. */
    public Job canceled(Problem problem, Instant now, Duration retention) {
        check(JobStatus.CANCELED);
        return new Job(
                id,
                type,
                owner,
                JobStatus.CANCELED,
                version + 1,
                attempt,
                progress,
                metadata,
                input,
                Optional.empty(),
                Optional.of(problem),
                cancelRequested,
                createdAt,
                now,
                startedAt,
                Optional.of(now),
                Optional.of(now.plus(retention)),
                propagation);
    }

    /** A move that only {@code from} may make (claims start from queued; updates in place need running). */
    private void require(JobStatus from, JobStatus next) {
        if (status != from) {
            throw new IllegalTransitionException(id, status, next);
        }
        check(next);
    }

    private void check(JobStatus next) {
        if (!status.canTransitionTo(next)) {
            throw new IllegalTransitionException(id, status, next);
        }
    }
}
