package io.github.accepted.openapi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.accepted.JobId;
import io.github.accepted.protocol.ProtocolEngine;

/**
 * The contract's response headers ({@code components/headers}) and request parameters
 * ({@code components/parameters}), each described once and referred to by the operations.
 */
final class HeadersAndParameters {

    static final String LOCATION = "Location";
    static final String OPERATION_LOCATION = "Operation-Location";
    static final String CONTENT_LOCATION = "Content-Location";
    static final String RETRY_AFTER = "Retry-After";
    static final String ETAG = "ETag";
    static final String VARY = "Vary";
    static final String PREFERENCE_APPLIED = "Preference-Applied";
    static final String CACHE_CONTROL = "Cache-Control";
    static final String NOSNIFF = "X-Content-Type-Options";
    static final String LINK = "Link";
    static final String ALLOW = "Allow";
    static final String ACCEPT_POST = "Accept-Post";
    static final String ACCEPT_ENCODING = "Accept-Encoding";
    static final String CONTENT_LENGTH = "Content-Length";

    static final String JOB_ID = "jobId";
    static final String PREFER = "Prefer";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String IDEMPOTENCY_KEY_REQUIRED = "Idempotency-Key.required";
    static final String IF_NONE_MATCH = "If-None-Match";
    static final String IF_MATCH = "If-Match";
    static final String LIST_STATUS = "status";
    static final String LIST_LIMIT = "limit";
    static final String LIST_CURSOR = "cursor";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private HeadersAndParameters() {}

    /** {@code $ref} to header {@code name}. */
    static ObjectNode header(String name) {
        return NODES.objectNode().put("$ref", "#/components/headers/" + name);
    }

    /** {@code $ref} to parameter {@code name}. */
    static ObjectNode parameter(String name) {
        return NODES.objectNode().put("$ref", "#/components/parameters/" + name);
    }

    static void addHeaders(ObjectNode headers) {
        headers.set(
                LOCATION,
                describe(
                        "Absolute URL: of the status monitor while the job is unfinished; " + "of the result on a 303.",
                        uri()));
        headers.set(
                OPERATION_LOCATION,
                describe(
                        "The status monitor's absolute URL (as Location), for "
                                + "pollers that read status from the body.",
                        uri()));
        headers.set(
                CONTENT_LOCATION, describe("The status monitor's absolute URL: the body is its final state.", uri()));
        headers.set(
                RETRY_AFTER,
                describe(
                        "Whole seconds, at least 1, to wait before asking again.",
                        NODES.objectNode().put("type", "integer").put("minimum", 1)));
        headers.set(
                ETAG,
                describe(
                        "Changes whenever the job (or the result) does; send it back in "
                                + "If-None-Match (or If-Match on DELETE).",
                        text()));
        headers.set(VARY, describe("Prefer: the answer depends on it.", text().put("const", "Prefer")));
        headers.set(
                PREFERENCE_APPLIED,
                describe(
                        "The preference honoured: wait=N when the answer was held "
                                + "for the job (N as cut to the server's longest wait), respond-async.",
                        text()));
        headers.set(CACHE_CONTROL, describe("Answers are never cached.", text().put("const", "no-store")));
        headers.set(NOSNIFF, describe("The media type is the one to use.", text().put("const", "nosniff")));
        headers.set(LINK, describe("The next page: <url>; rel=\"next\". Absent on the last page.", text()));
        headers.set(ALLOW, describe("The methods this path supports.", text()));
        headers.set(ACCEPT_POST, describe("The media type a submission must have.", text()));
        headers.set(ACCEPT_ENCODING, describe("identity: submissions are not decoded.", text()));
        headers.set(
                CONTENT_LENGTH,
                describe(
                        "The length of the body a GET would have (HEAD): there is none here.",
                        NODES.objectNode().put("type", "integer").put("minimum", 0)));
    }

    static void addParameters(ObjectNode parameters) {
        parameters.set(
                JOB_ID,
                parameter(
                        "id",
                        "path",
                        "The job's id, as in its status URL.",
                        true,
                        text().put("pattern", "^[A-Za-z0-9_-]{" + JobId.LENGTH + "}$")));
        parameters.set(
                PREFER,
                parameter(
                        PREFER,
                        "header",
                        "RFC 7240. wait=N holds the answer up to N seconds "
                                + "(cut to the server's longest wait) for the job's outcome (on submit) or its next change (on the "
                                + "monitor); respond-async answers 202 at once. Preferences the server cannot understand are "
                                + "ignored.",
                        false,
                        example("wait=10")));
        String key = "A Structured Field string of 1 to 255 printable ASCII characters (a bare token is accepted "
                + "too). The same key with the same request returns the same job; with a different request, 422. "
                + "Needs an authenticated caller.";
        ObjectNode keyExample = example("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"");
        parameters.set(IDEMPOTENCY_KEY, parameter(IDEMPOTENCY_KEY, "header", key, false, keyExample));
        parameters.set(
                IDEMPOTENCY_KEY_REQUIRED,
                parameter(
                        IDEMPOTENCY_KEY,
                        "header",
                        key + " This route requires " + "one.",
                        true,
                        keyExample.deepCopy()));
        parameters.set(
                IF_NONE_MATCH,
                parameter(
                        IF_NONE_MATCH,
                        "header",
                        "ETags seen before: an unchanged job "
                                + "(or result) answers 304. With Prefer: wait, the monitor waits while the tag is current.",
                        false,
                        text()));
        parameters.set(
                IF_MATCH,
                parameter(
                        IF_MATCH,
                        "header",
                        "The monitor's ETag (strong comparison) or *: the "
                                + "DELETE acts only if the job is still exactly that, else 412.",
                        false,
                        text()));
        ObjectNode statuses = NODES.objectNode().put("type", "array");
        statuses.set("items", ContractSchemas.refTo(ContractSchemas.STATUS));
        parameters.set(
                LIST_STATUS,
                parameter(
                                LIST_STATUS,
                                "query",
                                "Only jobs in these states; comma-separated " + "or repeated. Default: all.",
                                false,
                                statuses)
                        .put("style", "form")
                        .put("explode", false));
        parameters.set(
                LIST_LIMIT,
                parameter(
                        LIST_LIMIT,
                        "query",
                        "Page size.",
                        false,
                        NODES.objectNode()
                                .put("type", "integer")
                                .put("minimum", 1)
                                .put("maximum", ProtocolEngine.MAX_PAGE_SIZE)
                                .put("default", ProtocolEngine.DEFAULT_PAGE_SIZE)));
        parameters.set(
                LIST_CURSOR, parameter(LIST_CURSOR, "query", "Opaque: from the previous page's next.", false, text()));
    }

    private static ObjectNode parameter(
            String name, String in, String description, boolean required, ObjectNode schema) {
        ObjectNode parameter =
                NODES.objectNode().put("name", name).put("in", in).put("description", description);
        if (required) {
            parameter.put("required", true);
        }
        parameter.set("schema", schema);
        return parameter;
    }

    private static ObjectNode describe(String description, ObjectNode schema) {
        ObjectNode header = NODES.objectNode().put("description", description);
        header.set("schema", schema);
        return header;
    }

    private static ObjectNode text() {
        return NODES.objectNode().put("type", "string");
    }

    private static ObjectNode example(String value) {
        ObjectNode schema = text();
        schema.putArray("examples").add(value);
        return schema;
    }

    private static ObjectNode uri() {
        return text().put("format", "uri");
    }
}
