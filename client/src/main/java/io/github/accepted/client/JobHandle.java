package io.github.accepted.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One submitted job, followed to its end: {@link #awaitResult(Duration)}, {@link #resultAsync(Duration)},
 * {@link #cancel()}, progress callbacks.
 *
 * <p>Following honours what the server says: {@code Location} on each {@code 202},
 * {@code Retry-After} in seconds or as a date, {@code 303 See Other} to the result, {@code ETag}
 * with {@code If-None-Match}. When the server gives no {@code Retry-After}, polls back off
 * exponentially with jitter up to the client's cap. Network errors and {@code 5xx} answers are
 * retried a bounded number of times in a row. The client's configured headers go only to the
 * job's own origin (where it was submitted or attached) and to trusted origins; a link to any
 * other origin is followed without them (see {@link AcceptedClient}).
 *
 * <p>Thread-safe; await from one thread at a time (a second await continues where the first
 * stopped).
 */
public final class JobHandle {

    private static final System.Logger LOG = System.getLogger(JobHandle.class.getName());

    private final AcceptedClient client;
    private final URI statusUrl;
    private final Origin home; // where the configured headers go, besides the trusted origins
    private final List<Consumer<JobProgress>> listeners = new CopyOnWriteArrayList<>();
    private volatile @Nullable JobProgress progress;
    private volatile @Nullable String etag;
    private volatile @Nullable URI etagUri;
    private Step pending; // guarded by this
    private int quietPolls; // guarded by this: polls answered without Retry-After, for backoff
    private int transientFailures; // guarded by this

    JobHandle(AcceptedClient client, URI statusUrl, Origin home) {
        this.client = client;
        this.statusUrl = statusUrl;
        this.home = home;
        this.pending = new Step.Get(statusUrl, false, Duration.ZERO);
    }

    synchronized void start(Step first) {
        pending = first;
    }

    /** The job's status monitor (its {@code Operation-Location}, else its {@code Location}). */
    public URI statusUrl() {
        return statusUrl;
    }

    /** What the status monitor last said, if it said anything readable. */
    public Optional<JobProgress> progress() {
        return Optional.ofNullable(progress);
    }

    /**
     * Calls {@code listener} whenever the status or progress changes, on the thread that polled.
     * A listener that throws is logged and otherwise ignored.
     */
    public JobHandle onProgress(Consumer<JobProgress> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Waits until the job ends and returns its result.
     *
     * @throws RemoteJobFailedException     if it failed (with the server's problem)
     * @throws RemoteJobCanceledException   if it was canceled
     * @throws RemoteJobNotFoundException   if the server does not know it (any more)
     * @throws AwaitTimeoutException  if it did not end within {@code timeout}
     * @throws TransportException     if the server could not be reached, repeatedly
     * @throws MalformedResponseException if the server broke the protocol
     */
    public JobResult awaitResult(Duration timeout) {
        CompletableFuture<JobResult> future = resultAsync(timeout);
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new AcceptedClientException("interrupted while awaiting " + statusUrl, null, e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    /** {@link #awaitResult(Duration)}, decoded from JSON into {@code type}. */
    public <T> T await(Duration timeout, Class<T> type) {
        return awaitResult(timeout).as(type);
    }

    /**
     * Follows the job without blocking a thread: the future completes with the result, or
     * exceptionally with one of the exceptions {@link #awaitResult(Duration)} throws.
     */
    public CompletableFuture<JobResult> resultAsync(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        Step start;
        synchronized (this) {
            start = pending;
        }
        return follow(start, deadline, timeout);
    }

    /**
     * Asks the server to cancel the job (or to forget it, once finished). A running job may
     * still finish: await it to learn how it ended.
     *
     * @throws RemoteJobNotFoundException if the server does not know it
     */
    public void cancel() {
        HttpRequest request =
                client.request(statusUrl, Optional.empty(), home).DELETE().build();
        HttpResponse<byte[]> response;
        try {
            response = client.http().send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TransportException("could not reach " + statusUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcceptedClientException("interrupted while canceling " + statusUrl, null, e);
        }
        int code = response.statusCode();
        if (code == 404 || code == 410) {
            throw new RemoteJobNotFoundException(
                    statusUrl, client.interpreter().problem(response).orElse(null));
        }
        if (code >= 300) {
            throw new RequestRejectedException(
                    code, client.interpreter().problem(response).orElse(null));
        }
        client.interpreter().jsonObject(response).ifPresent(body -> observe(body, Optional.empty(), statusUrl));
    }

    private CompletableFuture<JobResult> follow(Step step, long deadline, Duration timeout) {
        synchronized (this) {
            pending = step;
        }
        if (step instanceof Step.Done done) {
            return CompletableFuture.completedFuture(done.result());
        }
        if (step instanceof Step.Fail fail) {
            return CompletableFuture.failedFuture(fail.error());
        }
        Step.Get get = (Step.Get) step;
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return CompletableFuture.failedFuture(new AwaitTimeoutException(statusUrl, timeout));
        }
        long delay = Math.min(get.delay().toNanos(), remaining);
        return CompletableFuture.supplyAsync(
                        () -> request(get, deadline),
                        CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS, client.executor()))
                .thenCompose(request -> client.http().sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()))
                .handle((response, error) -> next(get, response, error))
                .thenCompose(next -> follow(next, deadline, timeout));
    }

    private HttpRequest request(Step.Get get, long deadline) {
        Optional<Duration> wait = Optional.empty();
        long leftSeconds = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime());
        if (!get.result() && !client.longPollWait().isZero() && leftSeconds >= 1) {
            wait = Optional.of(Duration.ofSeconds(Math.min(client.longPollWait().toSeconds(), leftSeconds)));
        }
        HttpRequest.Builder builder = client.request(get.uri(), wait, home).GET();
        wait.ifPresent(w -> builder.header("Prefer", "wait=" + w.toSeconds()));
        if (!get.result() && etag != null && get.uri().equals(etagUri)) {
            builder.header("If-None-Match", etag);
        }
        return builder.build();
    }

    private Step next(Step.Get get, HttpResponse<byte[]> response, Throwable error) {
        if (error != null) {
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof IOException) {
                return transientFailure(get, "could not reach " + get.uri(), cause);
            }
            if (cause instanceof AcceptedClientException known) {
                return new Step.Fail(known);
            }
            return new Step.Fail(new TransportException("request to " + get.uri() + " failed", cause));
        }
        try {
            return get.result()
                    ? client.interpreter().result(this, get.uri(), response)
                    : client.interpreter().status(this, get.uri(), response);
        } catch (AcceptedClientException e) {
            return new Step.Fail(e);
        } catch (RuntimeException e) {
            return new Step.Fail(new MalformedResponseException("could not read the answer from " + get.uri(), e));
        }
    }

    /** A poll answered "not yet": come back after the server's Retry-After, or after a backoff. */
    synchronized Step pollAgain(URI next, HttpResponse<?> response) {
        transientFailures = 0;
        Optional<Duration> asked = RetryAfter.parse(response.headers().firstValue("Retry-After"), client.clock());
        Duration delay;
        if (asked.isPresent()) {
            quietPolls = 0;
            delay = asked.get();
        } else {
            delay = backoff(quietPolls++);
        }
        return new Step.Get(next, false, delay);
    }

    /** A network error or 5xx: retry the same request after a backoff, a bounded number of times. */
    synchronized Step transientFailure(Step.Get retry, String message, @Nullable Throwable cause) {
        transientFailures++;
        if (transientFailures > client.maxRetries()) {
            return new Step.Fail(
                    new TransportException(message + " (" + transientFailures + " times in a row)", cause));
        }
        return new Step.Get(retry.uri(), retry.result(), backoff(transientFailures - 1));
    }

    private Duration backoff(int attempt) {
        long cap = client.maxBackoff().toNanos();
        long base = client.initialBackoff().toNanos() << Math.min(attempt, 20);
        long capped = base <= 0 || base > cap ? cap : base;
        // "equal jitter": half fixed, half random, so pollers spread out without starving
        return Duration.ofNanos(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    /** Takes what a status monitor said: progress for the listeners, its ETag for the next poll. */
    void observe(JsonNode monitor, Optional<String> tag, URI requested) {
        if (tag.isPresent()) {
            etag = tag.get();
            etagUri = requested;
        }
        JsonNode status = monitor.path("status");
        if (!status.isTextual()) {
            return;
        }
        JsonNode p = monitor.path("progress");
        int percent = p.isObject() ? p.path("percent").asInt(0) : p.isNumber() ? p.asInt() : 0;
        String message = p.isObject() ? p.path("message").asText("") : "";
        JobProgress now = new JobProgress(
                status.asText().toLowerCase(java.util.Locale.ROOT), Math.max(0, Math.min(100, percent)), message);
        JobProgress before = progress;
        progress = now;
        if (!now.equals(before)) {
            for (Consumer<JobProgress> listener : listeners) {
                try {
                    listener.accept(now);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "progress listener failed", e);
                }
            }
        }
    }

    private static AcceptedClientException unwrap(@Nullable Throwable error) {
        if (error instanceof AcceptedClientException known) {
            return known;
        }
        if (error instanceof CancellationException) {
            return new AcceptedClientException("following the job was canceled", null, error);
        }
        return new TransportException("following the job failed", error);
    }
}
