package io.github.accepted.openapi;

import static io.github.accepted.openapi.HeadersAndParameters.CACHE_CONTROL;
import static io.github.accepted.openapi.HeadersAndParameters.CONTENT_LENGTH;
import static io.github.accepted.openapi.HeadersAndParameters.NOSNIFF;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Builds response objects: a status monitor, a problem, an empty answer; and their {@code HEAD} forms. */
final class Responses {

    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Responses() {}

    /** A status monitor with the standard headers, an {@code ETag} and {@code extraHeaders}. */
    static ObjectNode monitor(String description, String... extraHeaders) {
        ObjectNode response = withHeaders(description, extraHeaders);
        addHeaders(response, HeadersAndParameters.ETAG, CACHE_CONTROL, NOSNIFF);
        response.putObject("content").putObject(JSON).set("schema", ContractSchemas.refTo(ContractSchemas.MONITOR));
        return response;
    }

    /** A problem ({@code application/problem+json}) of the given types, with {@code extraHeaders}. */
    static ObjectNode problem(String description, String... extraHeaders) {
        ObjectNode response = withHeaders(description, extraHeaders);
        addHeaders(response, CACHE_CONTROL, NOSNIFF);
        response.putObject("content")
                .putObject(PROBLEM_JSON)
                .set("schema", ContractSchemas.refTo(ContractSchemas.PROBLEM));
        return response;
    }

    /** An answer without a body, with these headers. */
    static ObjectNode empty(String description, String... headers) {
        return withHeaders(description, headers);
    }

    /** {@code 400}, listing the problem types a request may get; host-not-allowed always among them. */
    static ObjectNode badRequest(String... types) {
        StringBuilder description = new StringBuilder("A bad request, nothing done: ");
        for (String type : types) {
            if (!type.isEmpty()) {
                description.append(type).append(", ");
            }
        }
        return problem(description
                .append("host-not-allowed (a Host outside allowedHosts, or bad forwarding headers).")
                .toString());
    }

    /** {@code 500}: a bug, logged on the server; the problem reveals nothing of it. */
    static ObjectNode internal() {
        return problem("internal: the server could not answer; its log has the details.");
    }

    /** {@code 503} with {@code Retry-After}. */
    static ObjectNode unavailable(String description) {
        return problem(description, HeadersAndParameters.RETRY_AFTER);
    }

    /**
     * The responses of the {@code HEAD} that answers as {@code get} does: the same statuses and
     * headers, no body, and the {@code Content-Length} the {@code GET}'s body would have.
     */
    static ObjectNode forHead(ObjectNode getResponses) {
        ObjectNode head = getResponses.deepCopy();
        for (Map.Entry<String, JsonNode> entry : head.properties()) {
            ObjectNode response = (ObjectNode) entry.getValue();
            if (response.remove("content") != null) {
                addHeaders(response, CONTENT_LENGTH);
            }
        }
        return head;
    }

    private static ObjectNode withHeaders(String description, String... headers) {
        ObjectNode response = NODES.objectNode().put("description", description);
        addHeaders(response, headers);
        return response;
    }

    static void addHeaders(ObjectNode response, String... names) {
        for (String name : names) {
            response.withObjectProperty("headers").set(name, HeadersAndParameters.header(name));
        }
    }
}
