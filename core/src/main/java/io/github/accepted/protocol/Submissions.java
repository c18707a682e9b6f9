package io.github.accepted.protocol;

import io.github.accepted.IdempotencyKeyReusedException;
import io.github.accepted.InvalidInputException;
import io.github.accepted.Job;
import io.github.accepted.RejectedJobException;
import io.github.accepted.Submission;
import io.github.accepted.spi.IdempotencyKey;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The submit endpoints: every check before anything is queued, then {@code 202} (or the outcome). */
final class Submissions {

    /**
     * How much of an oversized body is read and thrown away before answering {@code 413}, so that
     * a client still sending reads the answer instead of a reset connection. Past it, the
     * container closes the connection.
     */
    static final long DISCARD_LIMIT = 4L << 20;

    private final Settings settings;
    private final Replies replies;

    Submissions(Settings settings) {
        this.settings = settings;
        this.replies = settings.replies();
    }

    CompletableFuture<AcceptedResponse> submit(ProtocolRequest request, Urls urls, Route route,
            Preferences preferences) {
        if (!isJson(request.header("Content-Type"))) {
            return done(replies.problem(Problems.unsupportedMediaType(), Map.of("Accept-Post", Replies.JSON)));
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
                if (length <= DISCARD_LIMIT) {
                    discard(request.body());
                }
                return done(replies.problem(Problems.tooLarge(settings.maxBodyBytes()), Map.of()));
            }
            // sized from the declared length, but not trusted with more than 64 KiB before bytes arrive
            expected = (int) Math.min(Math.max(0, length), 65_536);
        }
        byte[] body;
        try {
            body = readBody(request.body(), expected);
        } catch (BodyTooLargeException e) {
            discard(request.body());
            return done(replies.problem(Problems.tooLarge(settings.maxBodyBytes()), Map.of()));
        } catch (IOException e) {
            return done(replies.problem(Problems.invalidRequest("The request body could not be read."), Map.of()));
        }
        if (body.length == 0) {
            return done(replies.problem(
                    Problems.invalidInput("The request needs a JSON body (send {} for no input)."), Map.of()));
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
            submission = settings.accepted().submitJson(route.type(), request.owner(), body, key);
        } catch (InvalidInputException e) {
            return done(replies.problem(Problems.invalidInput(e.getMessage()), Map.of()));
        } catch (IdempotencyKeyReusedException e) {
            return done(replies.problem(Problems.idempotencyKeyReused(), Map.of()));
        } catch (RejectedJobException e) {
            String name = switch (e.reason()) {
                case QUEUE_FULL -> "queue-full";
                case STORE_FULL -> "store-full";
                case SHUTTING_DOWN -> "shutting-down";
                case OWNER_QUEUE_FULL -> Problems.OWNER_QUEUE_FULL;
            };
            return done(replies.problem(Problems.refused(name, e.getMessage() + "; try again later."),
                    Map.of("Retry-After", ProtocolEngine.seconds(e.retryAfter()))));
        }
        Job job = submission.job();
        Duration wait = preferences.respondAsync() ? Duration.ZERO
                : settings.capWait(preferences.waitFor().orElse(route.waitBudget()));
        if (wait.isZero() || job.status().isTerminal()) {
            return done(reply(request, urls, job, preferences, Optional.empty()));
        }
        return Waiting.untilDone(settings.accepted(), job, request.owner(), wait)
                .thenApply(now -> reply(request, urls, now.orElse(job), preferences,
                        preferences.waitFor().isPresent() ? Optional.of(wait) : Optional.empty()));
    }

    private AcceptedResponse reply(ProtocolRequest request, Urls urls, Job job, Preferences preferences,
            Optional<Duration> waited) {
        String statusUrl = urls.status(job.id());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", statusUrl);
        headers.put("Operation-Location", statusUrl);
        if (job.status().isTerminal()) {
            headers.put("Content-Location", statusUrl);
            waited.ifPresent(w -> headers.put("Preference-Applied", "wait=" + w.toSeconds()));
            return replies.monitor(200, headers, job, urls, request);
        }
        headers.put("Retry-After", settings.retryAfter().forJob(job));
        if (preferences.respondAsync()) {
            headers.put("Preference-Applied", "respond-async");
        }
        return replies.monitor(202, headers, job, urls, request);
    }

    private static CompletableFuture<AcceptedResponse> done(AcceptedResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    private static boolean isJson(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return false;
        }
        String[] parts = contentType.get().split(";");
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

    /** Reads at most the limit; {@code expected} (the declared length) sizes the first buffer. */
    private byte[] readBody(InputStream in, int expected) throws IOException {
        int max = settings.maxBodyBytes();
        byte[] buffer = new byte[Math.max(1, Math.min(expected + 1, max + 1))];
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, max + 1));
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                break;
            }
            length += read;
            if (length > max) {
                throw new BodyTooLargeException();
            }
        }
        return Arrays.copyOf(buffer, length);
    }

    private static void discard(InputStream in) {
        byte[] buffer = new byte[8192];
        long read = 0;
        try {
            int n;
            while (read < DISCARD_LIMIT && (n = in.read(buffer)) >= 0) {
                read += n;
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    private static final class BodyTooLargeException extends IOException {
        BodyTooLargeException() {
            super("body too large");
        }
    }
}
