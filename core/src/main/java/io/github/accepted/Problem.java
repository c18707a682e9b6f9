package io.github.accepted;

import java.util.Objects;

/**
 * An RFC 9457 problem detail: why a request was refused, or why a job failed.
 *
 * <p>Every error Accepted writes is one of these, as {@code application/problem+json}. The
 * {@code detail} is written for the client: never put stack traces, class names or internal
 * paths in it.
 *
 * @param type   a URI naming the kind of problem, such as {@code urn:accepted:problem:queue-full}
 * @param title  a short, fixed summary of the type
 * @param status the HTTP status that goes with it (for a failed job, the status a result
 *               request would have got: 409)
 * @param detail this occurrence, for people; may be empty
 */
public record Problem(String type, String title, int status, String detail) {

    /** The prefix of every problem type Accepted defines. */
    public static final String TYPE_PREFIX = "urn:accepted:problem:";

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if {@code status} is not an HTTP error status
     */
    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 4xx or 5xx, was " + status);
        }
    }

    /** A problem whose type is {@code urn:accepted:problem:<name>}. */
    public static Problem of(String name, String title, int status, String detail) {
        return new Problem(TYPE_PREFIX + name, title, status, detail);
    }
}
