package io.github.accepted.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * An RFC 9457 problem as a server sent it: why a request was refused or a job failed. Fields the
 * server left out are empty strings (and {@code status} 0).
 *
 * @param type     the problem type URI
 * @param title    its short summary
 * @param status   the HTTP status it stands for
 * @param detail   this occurrence, for people
 * @param instance the resource it concerns
 */
public record ProblemDetail(String type, String title, int status, String detail, String instance) {

    /** Checks for nulls. */
    public ProblemDetail {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(instance, "instance");
    }

    /** Reads a problem object; empty if {@code node} is not an object. */
    static Optional<ProblemDetail> from(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new ProblemDetail(
                node.path("type").asText("about:blank"),
                node.path("title").asText(""),
                node.path("status").asInt(0),
                node.path("detail").asText(""),
                node.path("instance").asText("")));
    }

    @Override
    public String toString() {
        return status + " " + type + (title.isEmpty() ? "" : " (" + title + ")")
                + (detail.isEmpty() ? "" : ": " + detail);
    }
}
