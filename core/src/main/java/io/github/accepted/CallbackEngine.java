package io.github.accepted;

import com.fasterxml.jackson.core.JsonFactory;
import io.github.accepted.spi.Callback;
import io.github.accepted.spi.CallbackOutbox;
import io.github.accepted.spi.JobStore;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running side of {@link Callbacks}: checks and stores the callbacks of a submission, and
 * delivers those that are due, at most {@code maxInFlight} at once, each under a lease in the
 * outbox so that another instance takes over if this one dies.
 */
final class CallbackEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackEngine.class);
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

    private final Callbacks config;
    private final CallbackOutbox outbox;
    private final JobStore store;
    private final Clock clock;
    private final JsonFactory json;
    private final AddressGuard guard;
    private final WebhookSigner signer;
    private final WebhookPoster poster;
    private final Duration lease;
    private final Semaphore permits;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService senders;

    CallbackEngine(Callbacks config, JobStore store, Clock clock, JsonFactory json, Duration retention) {
        this.config = config;
        this.outbox = config.outbox;
        this.store = store;
        this.clock = clock;
        this.json = json;
        this.guard = new AddressGuard(config.allowed, config.resolver, config.maxUrlLength);
        this.signer = new WebhookSigner(config.secrets);
        this.poster = new WebhookPoster(config.connectTimeout, config.timeout, config.tls);
        this.lease = config.timeout.plus(
                config.timeout.compareTo(Duration.ofSeconds(5)) > 0 ? config.timeout : Duration.ofSeconds(5));
        this.permits = new Semaphore(config.maxInFlight);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(named("accepted-callbacks"));
        this.senders = Executors.newFixedThreadPool(config.maxInFlight, named("accepted-callback-sender"));
        long poll = Math.max(1, config.pollInterval.toMillis());
        // both end with the scheduler (close()); failures are logged inside, so nothing to keep
        var unusedDelivery = scheduler.scheduleWithFixedDelay(
                () -> quietly("delivering callbacks", this::deliverDue), poll, poll, TimeUnit.MILLISECONDS);
        var unusedPurge = scheduler.scheduleWithFixedDelay(
                () -> quietly(
                        "purging callbacks", () -> outbox.purge(clock.instant().minus(retention))),
                PURGE_INTERVAL.toMillis(),
                PURGE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * The callbacks of a job about to be submitted: the client's, checked (syntax, count, and
     * the SSRF rules, resolving the host now), then the application's for its type.
     *
     * @throws InvalidCallbackException if one of the client's is refused
     */
    List<Callback> prepare(JobId id, String type, CallbackRequest request, Instant now) {
        if (request.urls().size() > config.maxPerJob) {
            throw new InvalidCallbackException(
                    "At most " + config.maxPerJob + " callbacks may be asked for on one job.");
        }
        List<Callback> callbacks = new ArrayList<>();
        for (String text : request.urls()) {
            URI url = guard.parse(text);
            guard.check(url);
            callbacks.add(Callback.waiting(id, callbacks.size(), url, request.events(), request.jobsUrl(), true, now));
        }
        for (Callbacks.TypeCallback registered : config.byType.getOrDefault(type, List.of())) {
            callbacks.add(Callback.waiting(
                    id, callbacks.size(), registered.url(), registered.events(), request.jobsUrl(), false, now));
        }
        return callbacks;
    }

    void subscribe(List<Callback> callbacks) {
        if (!callbacks.isEmpty()) {
            outbox.subscribe(callbacks);
        }
    }

    void forget(JobId id) {
        outbox.forget(id);
    }

    /** The callbacks a job's monitor shows. */
    List<Callback> shown(JobId id) {
        return outbox.of(id).stream().filter(Callback::shown).toList();
    }

    /** A job changed (a store listener: quick, never throws): its callbacks may be due now. */
    void changed(JobId id) {
        if (!outbox.mayBeWaiting(id)) {
            return;
        }
        try {
            scheduler.execute(
                    () -> quietly("queueing callbacks", () -> store.find(id).ifPresent(job -> {
                        if (outbox.jobChanged(job)) {
                            deliverDue();
                        }
                    })));
        } catch (RejectedExecutionException closing) {
            // closed: an in-memory callback is lost with the process, as documented
        }
    }

    /** Claims due callbacks while senders are free, and hands each to one. Runs on the scheduler. */
    private void deliverDue() {
        int free = permits.drainPermits();
        if (free == 0) {
            return;
        }
        List<Callback> claimed;
        try {
            claimed = outbox.claim(clock.instant(), free, lease);
        } catch (RuntimeException e) {
            permits.release(free);
            throw e;
        }
        permits.release(free - claimed.size());
        for (Callback callback : claimed) {
            try {
                senders.execute(() -> {
                    try {
                        deliver(callback);
                    } catch (RuntimeException e) {
                        LOG.warn(
                                "callback {} of job {}: delivery failed; its lease runs out and it is retried",
                                callback.webhookId(),
                                callback.jobId(),
                                e);
                    } finally {
                        permits.release();
                    }
                });
            } catch (RejectedExecutionException closing) {
                permits.release();
            }
        }
    }

    /** One attempt, then records delivered, a retry, or giving up. */
    private void deliver(Callback callback) {
        Optional<Job> job = store.find(callback.jobId());
        if (job.isEmpty()) {
            outbox.record(callback, callback.failed("the job was removed before its callback was delivered"));
            return;
        }
        byte[] body = CallbackBody.of(json, job.get(), callback.jobsUrl());
        long timestamp = clock.instant().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", callback.webhookId());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", signer.sign(callback.webhookId(), timestamp, body));
        WebhookPoster.Outcome outcome;
        try {
            InetAddress address = guard.check(callback.url()); // again: DNS may have changed since submit
            outcome = poster.post(callback.url(), address, headers, body);
        } catch (InvalidCallbackException e) {
            outcome =
                    new WebhookPoster.Outcome(0, String.valueOf(e.getMessage())); // never null: Optional.of downstream
        }
        Instant now = clock.instant();
        if (outcome.delivered()) {
            outbox.record(callback, callback.delivered());
            return;
        }
        String error = outcome.status() == 0
                ? outcome.error()
                : outcome.status() >= 300 && outcome.status() < 400
                        ? "answered " + outcome.status() + " (redirects are not followed)"
                        : "answered " + outcome.status();
        Instant next = now.plus(backoff(callback.attempts()));
        Instant giveUpAt = callback.endedAt().orElse(now).plus(config.maxAge);
        if (next.isAfter(giveUpAt)) {
            LOG.warn(
                    "callback {} of job {}: gave up after {} attempts; last: {}",
                    callback.webhookId(),
                    callback.jobId(),
                    callback.attempts(),
                    error);
            outbox.record(
                    callback, callback.failed("gave up after " + callback.attempts() + " attempts; last " + error));
        } else {
            outbox.record(callback, callback.retryAt(next, error));
        }
    }

    /** Exponential backoff after attempt {@code attempts}, capped, with ±20 % jitter. */
    Duration backoff(int attempts) {
        double base = (double) config.firstRetry.toMillis() * Math.pow(2, Math.max(0, Math.min(attempts - 1, 40)));
        double capped = Math.min(base, (double) config.maxRetryInterval.toMillis());
        double jittered = capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(Math.max(1, (long) jittered));
    }

    /** Stops delivering: attempts under way get a moment to end; durable callbacks wait for another instance. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        senders.shutdown();
        try {
            if (!senders.awaitTermination(config.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            senders.shutdownNow();
            Thread.currentThread().interrupt();
        }
        outbox.close();
    }

    private static void quietly(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed; will try again", what, e);
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
