package io.github.accepted;

import io.github.accepted.spi.EngineGauges;
import io.github.accepted.spi.JobEvent;
import io.github.accepted.spi.JobEvent.Kind;
import io.github.accepted.spi.JobListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the registered {@link JobListener}s what happened, on the calling thread. A listener
 * that throws is logged and skipped; nothing is built when there is no listener. Thread-safe.
 */
final class Events {

    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private final JobListener[] listeners;

    Events(List<JobListener> listeners) {
        this.listeners = listeners.toArray(new JobListener[0]);
    }

    void attach(EngineGauges gauges) {
        for (JobListener listener : listeners) {
            try {
                listener.attached(gauges);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("job listener {} failed to attach; it hears events all the same", listener, e);
            }
        }
    }

    void submitted(Job job) {
        if (listeners.length > 0) {
            emit(event(Kind.SUBMITTED, job, job.createdAt(), null));
        }
    }

    void rejected(JobId id, String type, Instant now, RejectedJobException e) {
        if (listeners.length > 0) {
            emit(new JobEvent(
                    Kind.REJECTED,
                    id,
                    type,
                    0,
                    now,
                    now,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(e.reason())));
        }
    }

    /** {@code claimed} starts its attempt now. */
    void started(Job claimed) {
        if (listeners.length > 0) {
            Instant start = claimed.startedAt().orElse(claimed.updatedAt());
            emit(new JobEvent(
                    Kind.STARTED,
                    claimed.id(),
                    claimed.type(),
                    claimed.attempt(),
                    start,
                    claimed.createdAt(),
                    Optional.of(JobStatus.QUEUED),
                    Optional.of(nonNegative(Duration.between(claimed.createdAt(), start))),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty()));
        }
    }

    void progress(Job job) {
        if (listeners.length > 0) {
            emit(new JobEvent(
                    Kind.PROGRESS,
                    job.id(),
                    job.type(),
                    job.attempt(),
                    job.updatedAt(),
                    job.createdAt(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(job.progress()),
                    Optional.empty()));
        }
    }

    /**
     * An attempt that ran on this instance ended as {@code done} records (succeeded, failed,
     * canceled, or queued again: retried).
     */
    void ended(Job done, Instant startedAt) {
        if (listeners.length > 0) {
            Kind kind = kindOf(done.status());
            emit(event(
                    kind,
                    done,
                    done.updatedAt(),
                    JobStatus.RUNNING,
                    Optional.of(nonNegative(Duration.between(startedAt, done.updatedAt())))));
        }
    }

    /** A job that never started ended (canceled while queued; failed at shutdown). */
    void endedInQueue(Job done) {
        if (listeners.length > 0) {
            emit(event(kindOf(done.status()), done, done.updatedAt(), JobStatus.QUEUED));
        }
    }

    /**
     * The attempt of {@code expired} was taken back from a dead instance, and is now {@code next}
     * (queued again, or failed).
     */
    void recovered(Job expired, Job next) {
        if (listeners.length > 0) {
            emit(event(Kind.RECOVERED, expired, next.updatedAt(), null));
            emit(event(kindOf(next.status()), next, next.updatedAt(), JobStatus.RUNNING));
        }
    }

    /** The attempt ran past its limit and was recorded as {@code failed}. */
    void timedOut(Job failed, Instant startedAt) {
        if (listeners.length > 0) {
            emit(event(Kind.EXPIRED, failed, failed.updatedAt(), null));
            ended(failed, startedAt);
        }
    }

    void storeError(String operation, RuntimeException error) {
        for (JobListener listener : listeners) {
            try {
                listener.onStoreError(operation, error);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("job listener {} failed on a store error; carrying on", listener, e);
            }
        }
    }

    private static Kind kindOf(JobStatus status) {
        return switch (status) {
            case QUEUED -> Kind.RETRIED;
            case SUCCEEDED -> Kind.SUCCEEDED;
            case FAILED -> Kind.FAILED;
            case CANCELED -> Kind.CANCELED;
            case RUNNING -> throw new IllegalArgumentException("a running job has not ended");
        };
    }

    private static JobEvent event(Kind kind, Job job, Instant at, @Nullable JobStatus previous) {
        return event(kind, job, at, previous, Optional.empty());
    }

    private static JobEvent event(
            Kind kind, Job job, Instant at, @Nullable JobStatus previous, Optional<Duration> ran) {
        return new JobEvent(
                kind,
                job.id(),
                job.type(),
                job.attempt(),
                at,
                job.createdAt(),
                Optional.ofNullable(previous),
                Optional.empty(),
                ran,
                job.error(),
                Optional.empty(),
                Optional.empty());
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    private void emit(JobEvent event) {
        for (JobListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn(
                        "job listener {} failed on {} of job {}; the job carries on",
                        listener,
                        event.kind(),
                        event.jobId(),
                        e);
            }
        }
    }
}
