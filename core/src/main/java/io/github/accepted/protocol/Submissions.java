package io.github.accepted.protocol;

import io.github.accepted.CallbackRequest;
import io.github.accepted.IdempotencyKeyReusedException;
import io.github.accepted.InvalidCallbackException;
import io.github.accepted.InvalidInputException;
import io.github.accepted.Job;
import io.github.accepted.RejectedJobException;
import io.github.accepted.Submission;
import io.github.accepted.spi.IdempotencyKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The submit endpoints: every check before anything is queued, then {@code 202} (or the outcome). */
final class Submissions {

    private final Settings settings;
    private final Replies replies;

    Submissions(Settings settings) {
        this.settings = settings;
        this.replies = settings.replies();
    }

    /**
     * Checks the request's head, and only if it passes reads the body (which may complete later,
     * for a non-blocking body) and submits the job.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // handle() gives a future of a future, composed right after it
    CompletableFuture<AcceptedResponse> submit(
            ProtocolRequest request, Urls urls, Route route, Preferences preferences) {
        Optional<AcceptedResponse> anonymous =
                IdempotencyKeys.refuseAnonymous(request, route).map(problem -> replies.problem(problem, Map.of()));
        if (anonymous.isPresent()) {
            return done(anonymous.get());
        }
        CallbackRequest callbacks;
        try {
            callbacks = CallbackHeaders.read(request, urls); // refused before the body is read
        } catch (IllegalArgumentException e) {
            return done(replies.problem(Problems.invalidCallback(e.getMessage()), Map.of()));
        }
        if (!isJson(request.header("Content-Type"))) {
            return done(replies.problem(Problems.unsupportedMediaType(), Map.of("Accept-Post", Replies.JSON)));
        }
        if (!BodyEncoding.isIdentity(request.headerValues("Content-Encoding"))) {
            return done(replies.problem(Problems.unsupportedContentEncoding(), Map.of("Accept-Encoding", "identity")));
        }
        Optional<String> declared = request.header("Content-Length");
        int expected = 8192;
        if (declared.isPresent()) {
            long length;
            try {
                length = Long.parseLong(declared.get().trim());
            } catch (NumberFormatException e) {
                return done(replies.problem(Problems.invalidRequest("Content-Length is not a number."), Map.of()));
            }
            if (length > settings.maxBodyBytes()) {
                AcceptedResponse tooLarge = replies.problem(Problems.tooLarge(settings.maxBodyBytes()), Map.of());
                if (length > BodyReader.DISCARD_LIMIT || expectsContinue(request)) {
                    return done(tooLarge); // reading would only invite the client to send it
                }
                return BodyReader.discard(request.body()).handle((ignored, error) -> tooLarge);
            }
            // sized from the declared length, but not trusted with more than 64 KiB before bytes arrive
            expected = (int) Math.min(Math.max(0, length), 65_536);
        }
        return BodyReader.read(request.body(), settings.maxBodyBytes(), expected)
                .handle((body, error) -> {
                    if (error == null) {
                        return submit(request, urls, route, preferences, callbacks, body);
                    }
                    Throwable cause =
                            error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    return done(
                            cause instanceof BodyReader.TooLarge
                                    ? replies.problem(Problems.tooLarge(settings.maxBodyBytes()), Map.of())
                                    : replies.problem(
                                            Problems.invalidRequest("The request body could not be read."), Map.of()));
                })
                .thenCompose(answer -> answer);
    }

    private CompletableFuture<AcceptedResponse> submit(
            ProtocolRequest request,
            Urls urls,
            Route route,
            Preferences preferences,
            CallbackRequest callbacks,
            byte[] body) {
        if (body.length == 0) {
            return done(replies.problem(
                    Problems.invalidInput("The request needs a JSON body (send {} for no input)."), Map.of()));
        }
        Optional<String> notUtf8 = BodyEncoding.notPlainUtf8(body);
        if (notUtf8.isPresent()) {
            return done(replies.problem(Problems.invalidInput(notUtf8.get()), Map.of()));
        }
        Optional<IdempotencyKey> key;
        try {
            key = IdempotencyKeys.of(request, body);
        } catch (IllegalArgumentException e) {
            return done(replies.problem(Problems.invalidIdempotencyKey(e.getMessage()), Map.of()));
        }
        if (key.isEmpty() && route.idempotencyKeyRequired()) {
            return done(replies.problem(Problems.idempotencyKeyMissing(), Map.of()));
        }
        Submission submission;
        try {
            submission = key.isPresent()
                    ? settings.accepted().submitJson(route.type(), request.owner(), body, key.get(), callbacks)
                    : settings.accepted().submitJson(route.type(), request.owner(), body, callbacks);
        } catch (InvalidCallbackException e) {
            return done(replies.problem(Problems.invalidCallback(e.getMessage()), Map.of()));
        } catch (InvalidInputException e) {
            return done(replies.problem(Problems.invalidInput(e.getMessage()), Map.of()));
        } catch (IdempotencyKeyReusedException e) {
            return done(replies.problem(Problems.idempotencyKeyReused(), Map.of()));
        } catch (RejectedJobException e) {
            String name =
                    switch (e.reason()) {
                        case QUEUE_FULL -> "queue-full";
                        case STORE_FULL -> "store-full";
                        case SHUTTING_DOWN -> "shutting-down";
                        case OWNER_QUEUE_FULL -> Problems.OWNER_QUEUE_FULL;
                    };
            return done(replies.problem(
                    Problems.refused(name, e.getMessage() + "; try again later."),
                    Map.of("Retry-After", ProtocolEngine.seconds(e.retryAfter()))));
        }
        Job job = submission.job();
        Duration wait = preferences.respondAsync()
                ? Duration.ZERO
                : settings.capWait(preferences.waitFor().orElse(route.waitBudget()));
        if (wait.isZero() || job.status().isTerminal()) {
            return done(reply(urls, job, preferences, Optional.empty()));
        }
        return Waiting.untilDone(settings.accepted(), job, request.owner(), wait)
                .thenApply(now -> reply(
                        urls,
                        now.orElse(job),
                        preferences,
                        preferences.waitFor().isPresent() ? Optional.of(wait) : Optional.empty()));
    }

    private AcceptedResponse reply(Urls urls, Job job, Preferences preferences, Optional<Duration> waited) {
        String statusUrl = urls.status(job.id());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", statusUrl);
        headers.put("Operation-Location", statusUrl);
        // as on the monitor: a wait that was applied is said so, whatever the answer
        waited.ifPresent(w -> headers.put("Preference-Applied", "wait=" + w.toSeconds()));
        headers.put("Vary", "Prefer");
        if (job.status().isTerminal()) {
            headers.put("Content-Location", statusUrl);
            return replies.monitor(200, headers, job, urls);
        }
        headers.put("Retry-After", settings.retryAfter().forJob(job));
        if (preferences.respondAsync()) {
            headers.put("Preference-Applied", "respond-async");
        }
        return replies.monitor(202, headers, job, urls);
    }

    private static CompletableFuture<AcceptedResponse> done(AcceptedResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    private static boolean isJson(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return false;
        }
        String[] parts = contentType.get().split(";", -1);
        String base = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!base.equals(Replies.JSON) && !(base.startsWith("application/") && base.endsWith("+json"))) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param[0].trim().equalsIgnoreCase("charset") && param.length == 2) {
                String charset = param[1].trim().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean expectsContinue(ProtocolRequest request) {
        return request.headerValues("Expect").stream()
                .anyMatch(value -> value.trim().equalsIgnoreCase("100-continue"));
    }
}
