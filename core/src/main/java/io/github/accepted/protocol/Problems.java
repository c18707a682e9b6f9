package io.github.accepted.protocol;

import io.github.accepted.JobStatus;
import io.github.accepted.Problem;
import org.jspecify.annotations.Nullable;

/** Every problem the protocol engine answers with. Types are listed in docs/protocol.md. */
final class Problems {

    /** The type name of a submission refused because its owner's share of the queue is used up. */
    static final String OWNER_QUEUE_FULL = "owner-queue-full";

    private Problems() {}

    /** An exception's message may be null; a problem's detail may be empty but not null. */
    private static String orEmpty(@Nullable String detail) {
        return detail == null ? "" : detail;
    }

    static Problem notFound() {
        return Problem.of("not-found", "Not found", 404, "There is no such job, or it has expired.");
    }

    static Problem noRoute() {
        return Problem.of("not-found", "Not found", 404, "Nothing is served at this path.");
    }

    static Problem methodNotAllowed(String method, String allow) {
        return Problem.of(
                "method-not-allowed",
                "Method not allowed",
                405,
                "This resource does not support " + printable(method) + "; it allows " + allow + ".");
    }

    static Problem unsupportedMediaType() {
        return Problem.of(
                "unsupported-media-type",
                "Unsupported media type",
                415,
                "Send the job's input as JSON, with Content-Type: application/json (UTF-8).");
    }

    static Problem unsupportedContentEncoding() {
        return Problem.of(
                "unsupported-media-type",
                "Unsupported media type",
                415,
                "The server does not decode a Content-Encoding on submissions; send the JSON uncompressed.");
    }

    static Problem tooLarge(long max) {
        return Problem.of(
                "payload-too-large",
                "Payload too large",
                413,
                "The request body is larger than the limit of " + max + " bytes.");
    }

    static Problem invalidInput(@Nullable String detail) {
        return Problem.of("invalid-input", "Invalid input", 400, orEmpty(detail));
    }

    static Problem invalidCallback(@Nullable String detail) {
        return Problem.of("invalid-callback", "Invalid callback", 400, orEmpty(detail));
    }

    static Problem invalidRequest(@Nullable String detail) {
        return Problem.of("invalid-request", "Invalid request", 400, orEmpty(detail));
    }

    static Problem invalidIdempotencyKey(@Nullable String detail) {
        return Problem.of("invalid-idempotency-key", "Invalid idempotency key", 400, orEmpty(detail));
    }

    static Problem idempotencyKeyMissing() {
        return Problem.of(
                "idempotency-key-missing",
                "Idempotency key missing",
                400,
                "This endpoint needs an Idempotency-Key header, like Idempotency-Key: \"4f2c8a7e-…\".");
    }

    static Problem idempotencyKeyReused() {
        return Problem.of(
                "idempotency-key-reused",
                "Idempotency key reused",
                422,
                "This Idempotency-Key was already used with a different request; use a new key for a new request.");
    }

    static Problem idempotencyKeyNeedsOwner() {
        return Problem.of(
                "idempotency-key-needs-owner",
                "Idempotency key needs an owner",
                400,
                "Idempotency keys need an authenticated caller: an anonymous caller's key would be shared with "
                        + "every other anonymous caller. Authenticate, or send the request without Idempotency-Key.");
    }

    static Problem keyedRouteRequiresOwner() {
        return Problem.of(
                "forbidden",
                "Forbidden",
                403,
                "This endpoint needs an Idempotency-Key, and idempotency keys need an authenticated caller; "
                        + "authenticate to submit here.");
    }

    static Problem preconditionFailed() {
        return Problem.of(
                "precondition-failed",
                "Precondition failed",
                412,
                "The job has changed since the ETag in If-Match; fetch its monitor and decide again.");
    }

    static Problem hostNotAllowed(@Nullable String detail) {
        return Problem.of("host-not-allowed", "Host not allowed", 400, orEmpty(detail));
    }

    static Problem listRequiresOwner() {
        return Problem.of(
                "forbidden",
                "Forbidden",
                403,
                "Listing jobs needs an authenticated caller; anonymous jobs are reached by their id only.");
    }

    static Problem unavailable(String name, String detail) {
        return Problem.of(name, "Service unavailable", 503, detail);
    }

    /**
     * A submission refused for lack of room: {@code 429 Too Many Requests} when the caller's own
     * share of the queue is used up (RFC 6585: the client sent too much, and others are still
     * served), {@code 503} when the service as a whole has no room (RFC 9110, 15.6.4).
     */
    static Problem refused(String name, String detail) {
        if (name.equals(OWNER_QUEUE_FULL)) {
            return Problem.of(name, "Too many queued jobs", 429, detail);
        }
        return unavailable(name, detail);
    }

    static Problem resultNotReady(JobStatus status) {
        return Problem.of(
                "result-not-ready",
                "Result not ready",
                409,
                "The job is " + status.wireName() + "; poll its status monitor until it is done.");
    }

    static Problem noResult(JobStatus status) {
        return Problem.of(
                "no-result",
                "No result",
                409,
                "The job " + status.wireName() + " and has no result; its status monitor shows why.");
    }

    static Problem internal() {
        return Problem.of(
                "internal",
                "Internal server error",
                500,
                "The server could not answer this request. Its log has the details.");
    }

    /** Keeps client-supplied text short and printable before it is echoed in a detail. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 32));
        for (int i = 0; i < text.length() && out.length() < 32; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x21 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
