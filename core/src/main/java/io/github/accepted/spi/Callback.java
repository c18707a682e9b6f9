package io.github.accepted.spi;

import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One completion callback of one job, as a {@link CallbackOutbox} keeps it: where to POST the
 * job's monitor when it ends, and how far delivery got.
 *
 * @param jobId     the job it reports on
 * @param index     its place among the job's callbacks, from 0; with the job id, its key
 * @param url       where the POST goes
 * @param events    the terminal states it is sent for (a subset of succeeded, failed, canceled)
 * @param jobsUrl   the absolute URL of the monitors' collection ({@code …/jobs}), as the
 *                  submitting request saw it, for the links in the body
 * @param shown     whether the job's monitor lists it (the client asked for it); callbacks the
 *                  application registered for a job type are not shown
 * @param state     how far delivery got
 * @param attempts  how many POSTs were started
 * @param createdAt when the job was submitted
 * @param endedAt   when the job ended (present from {@link CallbackState#PENDING} on)
 * @param dueAt     when the next attempt may start; while an attempt runs, when its lease ends
 * @param lastError why the last attempt failed, for the monitor
 */
public record Callback(
        JobId jobId,
        int index,
        URI url,
        Set<JobStatus> events,
        String jobsUrl,
        boolean shown,
        CallbackState state,
        int attempts,
        Instant createdAt,
        Optional<Instant> endedAt,
        Optional<Instant> dueAt,
        Optional<String> lastError) {

    /** Checks for nulls, and that the events are terminal states. */
    public Callback {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(url, "url");
        events = Set.copyOf(events);
        Objects.requireNonNull(jobsUrl, "jobsUrl");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(lastError, "lastError");
        if (index < 0 || attempts < 0) {
            throw new IllegalArgumentException("index and attempts must not be negative");
        }
        if (events.isEmpty() || events.stream().anyMatch(status -> !status.isTerminal())) {
            throw new IllegalArgumentException("events must be terminal states, at least one");
        }
    }

    /** A callback of a job being submitted: waiting for the job to end. */
    public static Callback waiting(
            JobId jobId, int index, URI url, Set<JobStatus> events, String jobsUrl, boolean shown, Instant createdAt) {
        return new Callback(
                jobId,
                index,
                url,
                events,
                jobsUrl,
                shown,
                CallbackState.WAITING,
                0,
                createdAt,
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    /**
     * The {@code webhook-id} of every attempt of this callback: the same on each retry, so that
     * receivers deduplicate by it.
     */
    public String webhookId() {
        return "msg_" + jobId.value() + "_" + index;
    }

    /** The job ended as {@code status} at {@code now}: pending if it asked for that event, else skipped. */
    public Callback ended(JobStatus status, Instant now) {
        boolean wanted = events.contains(status);
        return new Callback(
                jobId,
                index,
                url,
                events,
                jobsUrl,
                shown,
                wanted ? CallbackState.PENDING : CallbackState.SKIPPED,
                attempts,
                createdAt,
                Optional.of(now),
                wanted ? Optional.of(now) : Optional.empty(),
                lastError);
    }

    /** An attempt starts: one more attempt, leased until {@code leaseEnd}. */
    public Callback attempting(Instant leaseEnd) {
        return new Callback(
                jobId,
                index,
                url,
                events,
                jobsUrl,
                shown,
                state,
                attempts + 1,
                createdAt,
                endedAt,
                Optional.of(leaseEnd),
                lastError);
    }

    /** The receiver answered 2xx. */
    public Callback delivered() {
        return new Callback(
                jobId,
                index,
                url,
                events,
                jobsUrl,
                shown,
                CallbackState.DELIVERED,
                attempts,
                createdAt,
                endedAt,
                Optional.empty(),
                Optional.empty());
    }

    /** The attempt failed; the next one may start at {@code next}. */
    public Callback retryAt(Instant next, String error) {
        return new Callback(
                jobId,
                index,
                url,
                events,
                jobsUrl,
                shown,
                CallbackState.PENDING,
                attempts,
                createdAt,
                endedAt,
                Optional.of(next),
                Optional.of(error));
    }

    /** Delivery was given up (too old, or the job is gone). */
    public Callback failed(String error) {
        return new Callback(
                jobId,
                index,
                url,
                events,
                jobsUrl,
                shown,
                CallbackState.FAILED,
                attempts,
                createdAt,
                endedAt,
                Optional.empty(),
                Optional.of(error));
    }
}
