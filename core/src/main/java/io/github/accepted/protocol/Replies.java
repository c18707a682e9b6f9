package io.github.accepted.protocol;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.Problem;
import io.github.accepted.spi.Callback;
import io.github.accepted.spi.Fetch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Builds the answers: monitors, problems, {@code 304}s, each with its standard headers. */
final class Replies {

    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    private final Json json;
    private final Set<String> echoingTypes;
    private final Function<JobId, List<Callback>> callbacks;

    Replies(Json json, Set<String> echoingTypes, Function<JobId, List<Callback>> callbacks) {
        this.json = json;
        this.echoingTypes = Set.copyOf(echoingTypes);
        this.callbacks = callbacks;
    }

    /** The callbacks a job's monitor shows, with their delivery state. */
    List<Callback> callbacks(Job job) {
        return callbacks.apply(job.id());
    }

    Json json() {
        return json;
    }

    boolean echoesInput(Job job) {
        return echoingTypes.contains(job.type());
    }

    /** What a monitor or a list shows of a job's payloads: the read they need from the store. */
    Fetch monitorFetch() {
        return Fetch.monitor(json.maxInlineResultBytes(), !echoingTypes.isEmpty());
    }

    AcceptedResponse monitor(int status, Map<String, String> headers, Job job, Urls urls) {
        return monitor(status, headers, job, urls, callbacks(job));
    }

    AcceptedResponse monitor(int status, Map<String, String> headers, Job job, Urls urls, List<Callback> shown) {
        return monitor(status, headers, job, urls, shown, EntityTags.monitor(job, shown));
    }

    /** The monitor with its tag, {@code EntityTags.monitor(job, shown)}, computed already. */
    AcceptedResponse monitor(
            int status, Map<String, String> headers, Job job, Urls urls, List<Callback> shown, String tag) {
        headers.put("ETag", tag);
        standard(headers, JSON);
        return new AcceptedResponse(status, headers, json.monitor(job, urls, echoesInput(job), shown));
    }

    AcceptedResponse problem(Problem problem, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>(extra);
        standard(headers, PROBLEM_JSON);
        return new AcceptedResponse(problem.status(), headers, json.problem(problem, Optional.empty()));
    }

    static void standard(Map<String, String> headers, String contentType) {
        headers.put("Content-Type", contentType);
        headers.put("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
    }

    /**
     * {@code 304 Not Modified} when {@code If-None-Match} matches {@code tag}; a {@code 400} when
     * it is malformed; empty otherwise. The {@code 304} carries {@code headers} (those the
     * {@code 200} would have that RFC 9110 §15.4.5 asks for), its tag and {@code Cache-Control},
     * and no {@code Content-Length}: RFC 9110 §8.6 makes it optional, and the body it would count
     * is then never rendered. Adapters make sure their container adds none either.
     */
    Optional<AcceptedResponse> notModified(ProtocolRequest request, String tag, Map<String, String> headers) {
        Optional<Boolean> hit;
        try {
            hit = EntityTags.noneMatchHits(request.headerValues("If-None-Match"), tag);
        } catch (IllegalArgumentException e) {
            return Optional.of(problem(Problems.invalidRequest(e.getMessage()), Map.of()));
        }
        if (hit.orElse(false)) {
            Map<String, String> reply = new LinkedHashMap<>(headers);
            reply.put("ETag", tag);
            reply.put("Cache-Control", "no-store");
            return Optional.of(new AcceptedResponse(304, reply, new byte[0]));
        }
        return Optional.empty();
    }

    /**
     * The answer to a {@code HEAD}: the {@code GET}'s answer without its body, but with its
     * {@code Content-Length} (RFC 9110 §9.3.2), so that no container adds {@code 0}.
     */
    static AcceptedResponse forHead(AcceptedResponse get) {
        if (get.body().length == 0) {
            return get;
        }
        Map<String, String> headers = new LinkedHashMap<>(get.headers());
        headers.put("Content-Length", Integer.toString(get.body().length));
        return new AcceptedResponse(get.status(), headers, new byte[0]);
    }
}
