package io.github.accepted;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The callbacks a client asks for when it submits a job, as the protocol engine read them from
 * the request's {@code Callback-URL} and {@code Callback-Events} headers; checked by the engine
 * ({@link Accepted#submitJson(String, String, byte[], CallbackRequest)}).
 *
 * @param urls    the URLs, as sent (checked by the engine)
 * @param events  the terminal states to call for; succeeded, failed and canceled by default
 * @param jobsUrl the absolute URL of the monitors' collection ({@code https://host/app/jobs}),
 *                for the links in the callback's body
 */
public record CallbackRequest(List<String> urls, Set<JobStatus> events, String jobsUrl) {

    /** Every terminal state: what a callback is sent for unless the client chose. */
    public static final Set<JobStatus> ALL_EVENTS =
            Set.copyOf(EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELED));

    /** Checks for nulls, and that the events are terminal states. */
    public CallbackRequest {
        urls = List.copyOf(urls);
        events = Set.copyOf(events);
        Objects.requireNonNull(jobsUrl, "jobsUrl");
        if (events.isEmpty()) {
            throw new IllegalArgumentException("events must be terminal states, at least one");
        }
        for (JobStatus status : events) {
            if (!status.isTerminal()) {
                throw new IllegalArgumentException("events must be terminal states, at least one");
            }
        }
    }

    /** No callbacks asked for by the client (those the application registered still apply). */
    public static CallbackRequest none(String jobsUrl) {
        return new CallbackRequest(List.of(), ALL_EVENTS, jobsUrl);
    }
}
