package io.github.accepted;

import com.fasterxml.jackson.databind.ObjectReader;
import io.github.accepted.spi.Callback;
import io.github.accepted.spi.IdempotencyKey;
import io.github.accepted.spi.JobStore;
import io.github.accepted.spi.KeyedCreate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The engine's intake: checks a submission (handler, input, callbacks, whether the engine still
 * accepts), builds the queued job with its propagated context, stores its callbacks and then
 * the job (idempotently under a key), and hands it to the dispatcher. Thread-safe.
 */
final class Intake {

    /** How long a refused submission should wait while the engine closes. */
    static final Duration CLOSING_RETRY_AFTER = Duration.ofSeconds(5);

    private final Map<String, HandlerRegistration<?, ?>> handlers;
    private final Map<String, ObjectReader> inputReaders;
    private final JobStore store;
    private final Clock clock;
    private final RunScopes scopes;
    private final @Nullable CallbackEngine callbacks;
    private final Events events;
    private final Dispatcher dispatcher;
    private final BooleanSupplier accepting;

    Intake(
            Map<String, HandlerRegistration<?, ?>> handlers,
            Map<String, ObjectReader> inputReaders,
            JobStore store,
            Clock clock,
            RunScopes scopes,
            @Nullable CallbackEngine callbacks,
            Events events,
            Dispatcher dispatcher,
            BooleanSupplier accepting) {
        this.handlers = handlers;
        this.inputReaders = inputReaders;
        this.store = store;
        this.clock = clock;
        this.scopes = scopes;
        this.callbacks = callbacks;
        this.events = events;
        this.dispatcher = dispatcher;
        this.accepting = accepting;
    }

    /** Submits a job; see {@link Accepted#submitJson(String, String, byte[], IdempotencyKey, CallbackRequest)}. */
    Submission submit(String type, String owner, byte[] json, @Nullable IdempotencyKey key, CallbackRequest requested) {
        Objects.requireNonNull(requested, "requested");
        if (callbacks == null && !requested.urls().isEmpty()) {
            throw new InvalidCallbackException("This server does not send callbacks.");
        }
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(json, "json");
        HandlerRegistration<?, ?> registration = handlers.get(Objects.requireNonNull(type, "type"));
        if (registration == null) {
            throw new IllegalArgumentException("no handler for job type " + type);
        }
        JobId id = JobId.random();
        try {
            checkAccepting();
            registration.readAndValidate(Objects.requireNonNull(inputReaders.get(type), type), json);
            Job job = Job.queued(id, type, owner, new Payload(Payload.JSON, json), clock.instant());
            Map<String, String> context = scopes.capture(type);
            if (!context.isEmpty()) {
                job = job.withPropagation(context);
            }
            List<Callback> subscribed =
                    callbacks == null ? List.of() : callbacks.prepare(job.id(), type, requested, job.createdAt());
            checkAccepting();
            return subscribed.isEmpty() ? submitValid(job, key) : submitWithCallbacks(job, key, subscribed);
        } catch (RejectedJobException e) {
            events.rejected(id, type, clock.instant(), e);
            throw e;
        } catch (InvalidInputException
                | InvalidCallbackException
                | IdempotencyKeyReusedException
                | IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            events.storeError("create", e);
            throw e;
        }
    }

    /** Stores the callbacks, then the job; forgets them if no job was created. */
    private Submission submitWithCallbacks(Job job, @Nullable IdempotencyKey key, List<Callback> subscribed) {
        Objects.requireNonNull(callbacks, "callbacks").subscribe(subscribed); // set: only it prepares callbacks
        try {
            Submission submission = submitValid(job, key);
            if (!submission.created()) {
                callbacks.forget(job.id());
            }
            return submission;
        } catch (RuntimeException e) {
            callbacks.forget(job.id());
            throw e;
        }
    }

    private Submission submitValid(Job job, @Nullable IdempotencyKey key) {
        if (key != null) {
            KeyedCreate outcome = store.createIdempotent(job, key);
            if (!outcome.created()) {
                if (!outcome.fingerprint().equals(key.fingerprint())) {
                    throw new IdempotencyKeyReusedException(outcome.job().id());
                }
                return new Submission(outcome.job(), false);
            }
            events.submitted(job);
            dispatcher.pump();
            return new Submission(job, true);
        }
        return new Submission(dispatcher.submit(job), true);
    }

    private void checkAccepting() {
        if (!accepting.getAsBoolean()) {
            throw new RejectedJobException(
                    RejectedJobException.Reason.SHUTTING_DOWN, "the server is shutting down", CLOSING_RETRY_AFTER);
        }
    }
}
