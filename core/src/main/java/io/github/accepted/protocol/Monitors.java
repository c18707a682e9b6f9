package io.github.accepted.protocol;

import io.github.accepted.CancelResult;
import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.JobNotFoundException;
import io.github.accepted.Payload;
import io.github.accepted.internal.EngineInternals;
import io.github.accepted.spi.Callback;
import io.github.accepted.spi.Fetch;
import io.github.accepted.spi.Page;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The monitor endpoints: status (with long-polling), result, cancel, list. */
final class Monitors {

    private final Settings settings;
    private final Replies replies;

    Monitors(Settings settings) {
        this.settings = settings;
        this.replies = settings.replies();
    }

    CompletableFuture<AcceptedResponse> status(
            ProtocolRequest request, Urls urls, String idText, Preferences preferences) {
        Optional<Job> found = find(request, idText, replies.monitorFetch());
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(replies.problem(Problems.notFound(), Map.of()));
        }
        Job job = found.get();
        Duration wait = preferences.waitFor().map(settings::capWait).orElse(Duration.ZERO);
        if (!wait.isZero() && !job.status().isTerminal()) {
            Optional<Boolean> hit;
            try {
                hit = EntityTags.noneMatchHits(request.headerValues("If-None-Match"), EntityTags.monitor(job));
            } catch (IllegalArgumentException e) {
                return CompletableFuture.completedFuture(
                        replies.problem(Problems.invalidRequest(e.getMessage()), Map.of()));
            }
            if (hit.orElse(true)) {
                // the client has seen this version: answer at its next change, or at the deadline
                return EngineInternals.of(settings.accepted())
                        .awaitChange(job.id(), request.owner(), job.version(), wait, replies.monitorFetch())
                        .thenApply(now -> now.map(j -> statusReply(request, urls, j, Optional.of(wait)))
                                .orElseGet(() -> replies.problem(Problems.notFound(), Map.of())));
            }
        }
        return CompletableFuture.completedFuture(statusReply(request, urls, job, Optional.empty()));
    }

    private AcceptedResponse statusReply(ProtocolRequest request, Urls urls, Job job, Optional<Duration> waited) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!job.status().isTerminal()) {
            headers.put("Location", urls.status(job.id()));
            headers.put("Retry-After", settings.retryAfter().forJob(job));
        }
        waited.ifPresent(w -> headers.put("Preference-Applied", "wait=" + w.toSeconds()));
        headers.put("Vary", "Prefer");
        List<Callback> shown = replies.callbacks(job);
        // the tag comes from the job's version (and its callbacks' state): checked before anything is rendered
        String tag = EntityTags.monitor(job, shown);
        Optional<AcceptedResponse> notModified = replies.notModified(request, tag, headers);
        if (notModified.isPresent()) {
            return notModified.get();
        }
        return switch (job.status()) {
            case QUEUED, RUNNING -> replies.monitor(202, headers, job, urls, shown, tag);
            case SUCCEEDED -> {
                if (settings.resultRedirect()) {
                    headers.put("Location", urls.result(job.id()));
                    yield replies.monitor(303, headers, job, urls, shown, tag);
                }
                yield replies.monitor(200, headers, job, urls, shown, tag);
            }
            case FAILED, CANCELED -> replies.monitor(200, headers, job, urls, shown, tag);
        };
    }

    AcceptedResponse result(ProtocolRequest request, String idText) {
        Optional<Job> found = find(request, idText, Fetch.ALL);
        if (found.isEmpty()) {
            return replies.problem(Problems.notFound(), Map.of());
        }
        Job job = found.get();
        return switch (job.status()) {
            case QUEUED, RUNNING ->
                replies.problem(
                        Problems.resultNotReady(job.status()),
                        Map.of("Retry-After", settings.retryAfter().forJob(job)));
            case FAILED, CANCELED -> replies.problem(Problems.noResult(job.status()), Map.of());
            case SUCCEEDED -> {
                Payload result = job.result().orElseThrow();
                String tag = EntityTags.result(job);
                Optional<AcceptedResponse> notModified = replies.notModified(request, tag, Map.of());
                if (notModified.isPresent()) {
                    yield notModified.get();
                }
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("ETag", tag);
                Replies.standard(headers, result.mediaType());
                yield new AcceptedResponse(200, headers, result.bytes());
            }
        };
    }

    AcceptedResponse cancel(ProtocolRequest request, Urls urls, String idText) {
        Optional<JobId> id = JobId.parse(idText);
        if (id.isEmpty()) {
            return replies.problem(Problems.notFound(), Map.of());
        }
        List<String> ifMatch = request.headerValues("If-Match");
        try {
            EntityTags.matchHits(ifMatch, "\"\""); // a malformed If-Match is refused before anything is done
        } catch (IllegalArgumentException e) {
            return replies.problem(Problems.invalidRequest(e.getMessage()), Map.of());
        }
        Optional<CancelResult> done;
        try {
            // checked against the very version the cancel then changes: a change in between is seen
            done = settings.accepted()
                    .cancelIf(
                            id.get(),
                            request.owner(),
                            job -> EntityTags.matchHits(ifMatch, EntityTags.monitor(job))
                                            .orElse(true)
                                    // a finished job's tag may carry its callbacks' delivery state
                                    || EntityTags.matchHits(ifMatch, EntityTags.monitor(job, replies.callbacks(job)))
                                            .orElse(true));
        } catch (JobNotFoundException e) {
            return replies.problem(Problems.notFound(), Map.of());
        }
        if (done.isEmpty()) {
            return replies.problem(Problems.preconditionFailed(), Map.of());
        }
        CancelResult outcome = done.get();
        Map<String, String> headers = new LinkedHashMap<>();
        return switch (outcome.outcome()) {
            case CANCELED -> replies.monitor(200, headers, outcome.job(), urls);
            case REQUESTED -> {
                headers.put("Location", urls.status(outcome.job().id()));
                headers.put("Retry-After", settings.retryAfter().forJob(outcome.job()));
                yield replies.monitor(202, headers, outcome.job(), urls);
            }
            case REMOVED -> new AcceptedResponse(204, Map.of("Cache-Control", "no-store"), new byte[0]);
        };
    }

    AcceptedResponse list(ProtocolRequest request, Urls urls) {
        if (request.owner().isEmpty()) {
            return replies.problem(Problems.listRequiresOwner(), Map.of());
        }
        ListParameters parameters;
        try {
            parameters = ListParameters.parse(request.query());
        } catch (IllegalArgumentException e) {
            return replies.problem(Problems.invalidRequest(e.getMessage()), Map.of());
        }
        Page page = parameters.after().isPresent()
                ? settings.accepted()
                        .list(
                                request.owner(),
                                parameters.statuses(),
                                parameters.after().get(),
                                parameters.limit(),
                                replies.monitorFetch())
                : settings.accepted()
                        .list(request.owner(), parameters.statuses(), parameters.limit(), replies.monitorFetch());
        Optional<String> next = page.next().map(cursor -> urls.collection() + "?" + parameters.nextQuery(cursor));
        Map<String, String> headers = new LinkedHashMap<>();
        next.ifPresent(url -> headers.put("Link", "<" + url + ">; rel=\"next\""));
        Replies.standard(headers, Replies.JSON);
        return new AcceptedResponse(200, headers, replies.json().list(page.jobs(), urls, next, replies::echoesInput));
    }

    private Optional<Job> find(ProtocolRequest request, String idText, Fetch fetch) {
        return JobId.parse(idText).flatMap(id -> settings.accepted().find(id, request.owner(), fetch));
    }
}
