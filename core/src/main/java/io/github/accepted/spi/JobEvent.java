package io.github.accepted.spi;

import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.Problem;
import io.github.accepted.Progress;
import io.github.accepted.RejectedJobException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened to a job, as the engine tells its {@link JobListener}s. Every event
 * names the job's type, id and attempt, and when it happened by the engine's clock; the other
 * components are present for the kinds that say so.
 *
 * <p>Times come from the job's stored timestamps, so a wait that began on the instance that
 * accepted the job and ended on the one that ran it is measured whole.
 *
 * @param kind        what happened
 * @param jobId       the job ({@link Kind#REJECTED}: the id it would have had; nothing was stored)
 * @param type        its type: a registered handler name (a bounded set, fit for a metric tag)
 * @param attempt     the attempt the event is about; 0 before the first start
 * @param at          when it happened
 * @param submittedAt when the job was accepted
 * @param previous    the status the job left, for events that moved it: {@code QUEUED} for
 *                    {@link Kind#STARTED} and for jobs canceled or failed before they started,
 *                    {@code RUNNING} for the end of an attempt; empty otherwise
 * @param waited      {@link Kind#STARTED}: from acceptance to this start
 * @param ran         the end of an attempt that started on this instance ({@link Kind#SUCCEEDED},
 *                    {@link Kind#FAILED}, {@link Kind#CANCELED}, {@link Kind#RETRIED}): from its
 *                    start to its end
 * @param error       {@link Kind#FAILED} and {@link Kind#CANCELED}: the problem recorded
 * @param progress    {@link Kind#PROGRESS}: what the handler reported
 * @param rejection   {@link Kind#REJECTED}: which bound refused it
 */
public record JobEvent(
        Kind kind,
        JobId jobId,
        String type,
        int attempt,
        Instant at,
        Instant submittedAt,
        Optional<JobStatus> previous,
        Optional<Duration> waited,
        Optional<Duration> ran,
        Optional<Problem> error,
        Optional<Progress> progress,
        Optional<RejectedJobException.Reason> rejection) {

    /** What happened to the job. */
    public enum Kind {
        /** Accepted and stored (queued, or at once running if a worker was free: then {@link #STARTED} follows). */
        SUBMITTED,
        /** Refused at one of the bounds, or because the engine is closing; nothing was stored. */
        REJECTED,
        /** A worker on this instance claimed it and is about to run its handler. */
        STARTED,
        /** Its handler reported progress. */
        PROGRESS,
        /** Ended with a result. */
        SUCCEEDED,
        /** Ended with an error (the handler failed, ran past its limit, or its attempts ran out). */
        FAILED,
        /** Ended because its owner canceled it, queued or running. */
        CANCELED,
        /** Queued again for another attempt (its instance shut down, or died: see {@link #RECOVERED}). */
        RETRIED,
        /**
         * Taken back from an instance that stopped renewing its lease (it died, or lost the
         * database); {@link #RETRIED} or {@link #FAILED} follows.
         */
        RECOVERED,
        /** Ran past its type's time limit; {@link #FAILED} follows. */
        EXPIRED;

        /** Whether this kind is an outcome: succeeded, failed or canceled. */
        public boolean isOutcome() {
            return this == SUCCEEDED || this == FAILED || this == CANCELED;
        }
    }

    /** Checks for nulls. */
    public JobEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(waited, "waited");
        Objects.requireNonNull(ran, "ran");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(rejection, "rejection");
    }

    /** Whether the event took the job out of the queue (a start, or a cancel or failure before one). */
    public boolean leftQueue() {
        return previous.isPresent() && previous.get() == JobStatus.QUEUED;
    }
}
