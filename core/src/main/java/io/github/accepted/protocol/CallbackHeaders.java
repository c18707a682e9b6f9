package io.github.accepted.protocol;

import io.github.accepted.CallbackRequest;
import io.github.accepted.JobStatus;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the callbacks a submission asks for: {@code Callback-URL} (one URL, or several separated
 * by commas, on one line or several; a comma inside a URL is sent as {@code %2C}) and
 * {@code Callback-Events} (a comma-separated subset of {@code succeeded, failed, canceled}).
 * Headers, not a body field, so that the handler's input stays the client's own JSON.
 */
final class CallbackHeaders {

    static final String URL = "Callback-URL";
    static final String EVENTS = "Callback-Events";
    /** More than this many header values is refused before any URL is looked at. */
    private static final int MAX_VALUES = 20;

    private CallbackHeaders() {}

    /**
     * The callbacks asked for; none when the headers are absent.
     *
     * @throws IllegalArgumentException if the headers are malformed (the message says how)
     */
    static CallbackRequest read(ProtocolRequest request, Urls urls) {
        if (request.headerValues(URL).isEmpty() && request.headerValues(EVENTS).isEmpty()) {
            return CallbackRequest.none(urls.collection());
        }
        List<String> found = new ArrayList<>();
        for (String line : request.headerValues(URL)) {
            for (String part : line.split(",", -1)) {
                String url = part.trim();
                if (url.isEmpty()) {
                    throw new IllegalArgumentException(URL + " has an empty entry.");
                }
                found.add(url);
                if (found.size() > MAX_VALUES) {
                    throw new IllegalArgumentException(URL + " names too many callbacks.");
                }
            }
        }
        Set<JobStatus> events = EnumSet.noneOf(JobStatus.class);
        for (String line : request.headerValues(EVENTS)) {
            for (String part : line.split(",", -1)) {
                JobStatus status = JobStatus.fromWireName(part.trim())
                        .filter(JobStatus::isTerminal)
                        .orElseThrow(() -> new IllegalArgumentException(
                                EVENTS + " may name succeeded, failed and canceled only."));
                events.add(status);
            }
        }
        if (!events.isEmpty() && found.isEmpty()) {
            throw new IllegalArgumentException(EVENTS + " needs a " + URL + ".");
        }
        return new CallbackRequest(found, events.isEmpty() ? CallbackRequest.ALL_EVENTS : events, urls.collection());
    }
}
