package io.github.accepted;

import io.github.accepted.internal.JobTransitions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of one job, as a {@link io.github.accepted.spi.JobStore} keeps it.
 *
 * <p>Every change makes a new snapshot with {@code version + 1} through one of the transition
 * methods below; each checks the move against {@link JobStatus}'s table and throws
 * {@link IllegalTransitionException} when it is not allowed. A store accepts the new snapshot
 * only if the one it holds still has the old version (compare-and-set), so of two racing
 * changes exactly one wins.
 *
 * <p>A store builds the job it read back with {@link #restore()}; the engine makes every other
 * job. Immutable and thread-safe.
 */
public final class Job {

    /** The owner of an anonymous job, one reachable by its id alone: the empty string. */
    public static final String ANONYMOUS = "";

    static {
        JobTransitions.register(new Moves());
    }

    private final JobId id;
    private final String type;
    private final String owner;
    private final JobStatus status;
    private final long version;
    private final int attempt;
    private final Progress progress;
    private final Optional<Payload> metadata;
    private final Payload input;
    private final Optional<Payload> result;
    private final Optional<Problem> error;
    private final boolean cancelRequested;
    private final Instant createdAt;
    private final Instant updatedAt;
    private final Optional<Instant> startedAt;
    private final Optional<Instant> finishedAt;
    private final Optional<Instant> expiresAt;
    private final Map<String, String> propagation;

    private Job(
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
        this.propagation = Map.copyOf(Objects.requireNonNull(propagation, "propagation"));
        this.id = id;
        this.type = type;
        this.owner = owner;
        this.status = status;
        this.version = version;
        this.attempt = attempt;
        this.progress = progress;
        this.metadata = metadata;
        this.input = input;
        this.result = result;
        this.error = error;
        this.cancelRequested = cancelRequested;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.startedAt = startedAt;
        this.finishedAt = finishedAt;
        this.expiresAt = expiresAt;
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1");
        }
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative");
        }
    }

    /** The job's id. */
    public JobId id() {
        return id;
    }

    /** The name of the handler that runs it. */
    public String type() {
        return type;
    }

    /** Who submitted it; {@link #ANONYMOUS} for an anonymous job (reachable by id alone). */
    public String owner() {
        return owner;
    }

    /** Where it is in its life cycle. */
    public JobStatus status() {
        return status;
    }

    /** Grows by one with every change; starts at 1. */
    public long version() {
        return version;
    }

    /** How many times a worker has claimed it; 0 while never run. */
    public int attempt() {
        return attempt;
    }

    /** What the handler last reported. */
    public Progress progress() {
        return progress;
    }

    /** Small JSON the handler published for the monitor. */
    public Optional<Payload> metadata() {
        return metadata;
    }

    /** The input it was submitted with (JSON). */
    public Payload input() {
        return input;
    }

    /** Present once succeeded. */
    public Optional<Payload> result() {
        return result;
    }

    /** Present once failed or canceled. */
    public Optional<Problem> error() {
        return error;
    }

    /** Whether its owner asked to cancel it while it ran. */
    public boolean cancelRequested() {
        return cancelRequested;
    }

    /** When it was accepted. */
    public Instant createdAt() {
        return createdAt;
    }

    /** When it last changed. */
    public Instant updatedAt() {
        return updatedAt;
    }

    /** When its current attempt started. */
    public Optional<Instant> startedAt() {
        return startedAt;
    }

    /** When it reached a terminal state. */
    public Optional<Instant> finishedAt() {
        return finishedAt;
    }

    /** When its record will be purged (terminal jobs only). */
    public Optional<Instant> expiresAt() {
        return expiresAt;
    }

    /** Context carried from the submit to every run (a trace's {@code traceparent}, * say), as {@link io.github.accepted.spi.JobContextPropagator}s captured it; * empty by default. Set once at submit; never changes after.. */
    public Map<String, String> propagation() {
        return propagation;
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
                Optional.empty(),
                Map.of());
    }

    /** This queued job, not yet stored, with the context to carry to its runs. */
    Job withPropagation(Map<String, String> context) {
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

    /**
     * queued → running: a worker claimed it; the attempt count grows. A store makes this move
     * when it claims the job ({@link io.github.accepted.spi.JobStore#claimNext}).
     *
     * @throws IllegalTransitionException if the job is not queued
     */
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
    Job withProgress(Progress next, Instant now) {
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
    Job withMetadata(Payload next, Instant now) {
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
    Job withCancelRequested(Instant now) {
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
    Job requeued(Instant now) {
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
     * A store makes this move when it gives claims back.
     *
     * @throws IllegalTransitionException if the job cannot go back to the queue
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
    Job succeeded(Payload value, Instant now, Duration retention) {
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
    Job failed(Problem problem, Instant now, Duration retention) {
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
    Job canceled(Problem problem, Instant now, Duration retention) {
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

    /** Whether {@code other} is a job with equal components. */
    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Job other
                && id.equals(other.id)
                && type.equals(other.type)
                && owner.equals(other.owner)
                && status == other.status
                && version == other.version
                && attempt == other.attempt
                && progress.equals(other.progress)
                && metadata.equals(other.metadata)
                && input.equals(other.input)
                && result.equals(other.result)
                && error.equals(other.error)
                && cancelRequested == other.cancelRequested
                && createdAt.equals(other.createdAt)
                && updatedAt.equals(other.updatedAt)
                && startedAt.equals(other.startedAt)
                && finishedAt.equals(other.finishedAt)
                && expiresAt.equals(other.expiresAt)
                && propagation.equals(other.propagation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
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
                propagation);
    }

    @Override
    public String toString() {
        return "Job[id=" + id + ", type=" + type + ", owner=" + owner + ", status=" + status + ", version=" + version
                + ", attempt=" + attempt + ", progress=" + progress + ", metadata=" + metadata + ", input=" + input
                + ", result=" + result + ", error=" + error + ", cancelRequested=" + cancelRequested + ", createdAt="
                + createdAt + ", updatedAt=" + updatedAt + ", startedAt=" + startedAt + ", finishedAt=" + finishedAt
                + ", expiresAt=" + expiresAt + ", propagation=" + propagation + "]";
    }

    /**
     * A builder for a job read back from a store: a store author's way to make a {@code Job}
     * from a stored row. Required: id, type, owner, status, version, input, createdAt and
     * updatedAt; the rest default to a job that never ran (attempt 0, {@link Progress#NONE}, no
     * metadata, result, error or timestamps, no cancellation request, no propagation). A field
     * added to {@code Job} in a later release comes with a default here, so a store's code keeps
     * compiling.
     */
    public static Restore restore() {
        return new Restore();
    }

    /** Builds a {@link Job} as a store kept it; see {@link Job#restore()}. Not thread-safe. */
    public static final class Restore {
        private @Nullable JobId id;
        private @Nullable String type;
        private @Nullable String owner;
        private @Nullable JobStatus status;
        private long version;
        private int attempt;
        private Progress progress = Progress.NONE;
        private @Nullable Payload metadata;
        private @Nullable Payload input;
        private @Nullable Payload result;
        private @Nullable Problem error;
        private boolean cancelRequested;
        private @Nullable Instant createdAt;
        private @Nullable Instant updatedAt;
        private @Nullable Instant startedAt;
        private @Nullable Instant finishedAt;
        private @Nullable Instant expiresAt;
        private Map<String, String> propagation = Map.of();

        private Restore() {}

        /** The job's id. Required. */
        public Restore id(JobId value) {
            id = Objects.requireNonNull(value, "id");
            return this;
        }

        /** The job's type. Required. */
        public Restore type(String value) {
            type = Objects.requireNonNull(value, "type");
            return this;
        }

        /** The job's owner; {@link #ANONYMOUS} for an anonymous job. Required. */
        public Restore owner(String value) {
            owner = Objects.requireNonNull(value, "owner");
            return this;
        }

        /** The job's status. Required. */
        public Restore status(JobStatus value) {
            status = Objects.requireNonNull(value, "status");
            return this;
        }

        /** The job's version, at least 1. Required. */
        public Restore version(long value) {
            version = value;
            return this;
        }

        /** How many times a worker claimed it. Default 0. */
        public Restore attempt(int value) {
            attempt = value;
            return this;
        }

        /** What the handler last reported. Default {@link Progress#NONE}. */
        public Restore progress(Progress value) {
            progress = Objects.requireNonNull(value, "progress");
            return this;
        }

        /** The metadata the handler published; {@code null} for none (the default). */
        public Restore metadata(@Nullable Payload value) {
            metadata = value;
            return this;
        }

        /** The input the job was submitted with. Required. */
        public Restore input(Payload value) {
            input = Objects.requireNonNull(value, "input");
            return this;
        }

        /** The result; {@code null} for none (the default). */
        public Restore result(@Nullable Payload value) {
            result = value;
            return this;
        }

        /** The error; {@code null} for none (the default). */
        public Restore error(@Nullable Problem value) {
            error = value;
            return this;
        }

        /** Whether cancellation was requested. Default {@code false}. */
        public Restore cancelRequested(boolean value) {
            cancelRequested = value;
            return this;
        }

        /** When it was accepted. Required. */
        public Restore createdAt(Instant value) {
            createdAt = Objects.requireNonNull(value, "createdAt");
            return this;
        }

        /** When it last changed. Required. */
        public Restore updatedAt(Instant value) {
            updatedAt = Objects.requireNonNull(value, "updatedAt");
            return this;
        }

        /** When its current attempt started; {@code null} for never (the default). */
        public Restore startedAt(@Nullable Instant value) {
            startedAt = value;
            return this;
        }

        /** When it reached a terminal state; {@code null} for not yet (the default). */
        public Restore finishedAt(@Nullable Instant value) {
            finishedAt = value;
            return this;
        }

        /** When its record will be purged; {@code null} for never (the default). */
        public Restore expiresAt(@Nullable Instant value) {
            expiresAt = value;
            return this;
        }

        /** The context carried to its runs. Default: empty. */
        public Restore propagation(Map<String, String> value) {
            propagation = Objects.requireNonNull(value, "propagation");
            return this;
        }

        /**
         * The job.
         *
         * @throws NullPointerException     if a required field was not set
         * @throws IllegalArgumentException if the version is below 1 or the attempt negative
         */
        public Job build() {
            return new Job(
                    Objects.requireNonNull(id, "id"),
                    Objects.requireNonNull(type, "type"),
                    Objects.requireNonNull(owner, "owner"),
                    Objects.requireNonNull(status, "status"),
                    version,
                    attempt,
                    progress,
                    Optional.ofNullable(metadata),
                    Objects.requireNonNull(input, "input"),
                    Optional.ofNullable(result),
                    Optional.ofNullable(error),
                    cancelRequested,
                    Objects.requireNonNull(createdAt, "createdAt"),
                    Objects.requireNonNull(updatedAt, "updatedAt"),
                    Optional.ofNullable(startedAt),
                    Optional.ofNullable(finishedAt),
                    Optional.ofNullable(expiresAt),
                    propagation);
        }
    }

    /** The moves only the engine makes, for {@link JobTransitions}. */
    private static final class Moves implements JobTransitions.Moves {
        @Override
        public Job withProgress(Job job, Progress next, Instant now) {
            return job.withProgress(next, now);
        }

        @Override
        public Job withMetadata(Job job, Payload next, Instant now) {
            return job.withMetadata(next, now);
        }

        @Override
        public Job withCancelRequested(Job job, Instant now) {
            return job.withCancelRequested(now);
        }

        @Override
        public Job requeued(Job job, Instant now) {
            return job.requeued(now);
        }

        @Override
        public Job succeeded(Job job, Payload value, Instant now, Duration retention) {
            return job.succeeded(value, now, retention);
        }

        @Override
        public Job failed(Job job, Problem problem, Instant now, Duration retention) {
            return job.failed(problem, now, retention);
        }

        @Override
        public Job canceled(Job job, Problem problem, Instant now, Duration retention) {
            return job.canceled(problem, now, retention);
        }

        @Override
        public Job withPropagation(Job job, Map<String, String> context) {
            return job.withPropagation(context);
        }
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
