package io.github.accepted.openapi;

import static io.github.accepted.openapi.HeadersAndParameters.ALLOW;
import static io.github.accepted.openapi.HeadersAndParameters.CACHE_CONTROL;
import static io.github.accepted.openapi.HeadersAndParameters.CONTENT_LOCATION;
import static io.github.accepted.openapi.HeadersAndParameters.ETAG;
import static io.github.accepted.openapi.HeadersAndParameters.LOCATION;
import static io.github.accepted.openapi.HeadersAndParameters.NOSNIFF;
import static io.github.accepted.openapi.HeadersAndParameters.OPERATION_LOCATION;
import static io.github.accepted.openapi.HeadersAndParameters.PREFERENCE_APPLIED;
import static io.github.accepted.openapi.HeadersAndParameters.RETRY_AFTER;
import static io.github.accepted.openapi.HeadersAndParameters.VARY;
import static io.github.accepted.openapi.Responses.badRequest;
import static io.github.accepted.openapi.Responses.monitor;
import static io.github.accepted.openapi.Responses.problem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.protocol.Route;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code paths} of the document: each submit route, and the monitor endpoints under the jobs
 * path, with every status and header the engine answers them with ({@code docs/protocol.md}).
 */
final class Operations {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ProtocolEngine engine;
    private final Map<String, JsonNode> inputSchemas;
    private final Set<String> operationIds = new HashSet<>();

    /** {@code inputSchemas}: each job type's input schema (or a reference to it). */
    Operations(ProtocolEngine engine, Map<String, JsonNode> inputSchemas) {
        this.engine = engine;
        this.inputSchemas = inputSchemas;
    }

    ObjectNode paths() {
        ObjectNode paths = NODES.objectNode();
        List<Route> routes = engine.routes();
        for (Route route : routes) {
            ObjectNode item = paths.withObjectProperty(route.path());
            item.set(route.method().toLowerCase(Locale.ROOT), submit(route));
        }
        for (String path : new TreeSet<>(engine.routePaths())) {
            Set<String> methods = new TreeSet<>();
            routes.stream().filter(r -> r.path().equals(path)).forEach(r -> methods.add(r.method()));
            ObjectNode item = (ObjectNode) paths.get(path);
            item.set("options", options(String.join(", ", methods) + ", OPTIONS", "options-" + slug(path)));
        }
        String jobs = engine.jobsPath();
        ObjectNode list = paths.withObjectProperty(jobs);
        list.set("get", list());
        list.set("head", head((ObjectNode) list.get("get"), "listJobsHead"));
        list.set("options", options("GET, HEAD, OPTIONS", "listJobsOptions"));
        ObjectNode job = paths.withObjectProperty(jobs + "/{id}");
        job.putArray("parameters").add(HeadersAndParameters.parameter(HeadersAndParameters.JOB_ID));
        job.set("get", status());
        job.set("head", head((ObjectNode) job.get("get"), "getJobStatusHead"));
        job.set("delete", cancel());
        job.set("options", options("GET, HEAD, DELETE, OPTIONS", "jobOptions"));
        ObjectNode result = paths.withObjectProperty(jobs + "/{id}/result");
        result.putArray("parameters").add(HeadersAndParameters.parameter(HeadersAndParameters.JOB_ID));
        result.set("get", result());
        result.set("head", head((ObjectNode) result.get("get"), "getJobResultHead"));
        result.set("options", options("GET, HEAD, OPTIONS", "jobResultOptions"));
        return paths;
    }

    private ObjectNode submit(Route route) {
        ObjectNode op = operation(
                "submit",
                "submit-" + route.type(),
                "Submit a " + route.type() + " job",
                "Checks the input, then queues a job of type " + route.type() + " and answers 202 with its status "
                        + "monitor. Nothing is queued when the answer is an error.");
        op.putArray("parameters")
                .add(HeadersAndParameters.parameter(HeadersAndParameters.PREFER))
                .add(HeadersAndParameters.parameter(
                        route.idempotencyKeyRequired()
                                ? HeadersAndParameters.IDEMPOTENCY_KEY_REQUIRED
                                : HeadersAndParameters.IDEMPOTENCY_KEY));
        ObjectNode body = op.putObject("requestBody")
                .put("required", true)
                .put("description", "The job's input, as JSON in UTF-8 (application/json or application/*+json).");
        body.putObject("content").putObject(Responses.JSON).set("schema", inputSchemas.get(route.type()));
        ObjectNode r = op.putObject("responses");
        r.set(
                "200",
                monitor(
                        "The job finished while the server waited (Prefer: wait, or the route's default "
                                + "wait): its final monitor, with the result or the error.",
                        LOCATION,
                        OPERATION_LOCATION,
                        CONTENT_LOCATION,
                        PREFERENCE_APPLIED,
                        VARY));
        r.set(
                "202",
                monitor(
                        "Accepted: poll the monitor at Location (or Operation-Location) after Retry-After.",
                        LOCATION,
                        OPERATION_LOCATION,
                        RETRY_AFTER,
                        PREFERENCE_APPLIED,
                        VARY));
        r.set(
                "400",
                badRequest(
                        "invalid-input (the body is not valid input: detail says where)",
                        "invalid-request (a bad Content-Length)",
                        "invalid-idempotency-key",
                        "idempotency-key-needs-owner (an anonymous caller sent a key)",
                        route.idempotencyKeyRequired() ? "idempotency-key-missing (this route requires a key)" : ""));
        if (route.idempotencyKeyRequired()) {
            r.set("403", problem("forbidden: this route needs an Idempotency-Key, so an authenticated caller."));
        }
        r.set("413", problem("payload-too-large: the body is over the limit (default 1 MiB)."));
        r.set(
                "415",
                problem(
                        "unsupported-media-type: the body is not declared as JSON in UTF-8 (see Accept-Post), "
                                + "or has a Content-Encoding (see Accept-Encoding).",
                        HeadersAndParameters.ACCEPT_POST,
                        HeadersAndParameters.ACCEPT_ENCODING));
        r.set("422", problem("idempotency-key-reused: the key was used with a different request."));
        r.set("500", Responses.internal());
        r.set(
                "503",
                Responses.unavailable("queue-full, store-full, shutting-down or store-unavailable: try again "
                        + "after Retry-After."));
        return op;
    }

    private ObjectNode status() {
        ObjectNode op = operation(
                "jobs",
                "getJobStatus",
                "The job's status monitor",
                "202 while the job is queued or running, 200 once it is final. With Prefer: wait=N, answers at the "
                        + "job's next change (or after N seconds) without holding a server thread.");
        op.putArray("parameters")
                .add(HeadersAndParameters.parameter(HeadersAndParameters.PREFER))
                .add(HeadersAndParameters.parameter(HeadersAndParameters.IF_NONE_MATCH));
        ObjectNode r = op.putObject("responses");
        r.set(
                "200",
                monitor(
                        "The job is final: succeeded (with result or resultUrl), failed or canceled " + "(with error).",
                        PREFERENCE_APPLIED,
                        VARY));
        r.set(
                "202",
                monitor(
                        "The job is queued or running: poll again after Retry-After.",
                        LOCATION,
                        RETRY_AFTER,
                        PREFERENCE_APPLIED,
                        VARY));
        if (engine.redirectsToResult()) {
            r.set("303", monitor("The job succeeded: its result is at Location.", LOCATION, PREFERENCE_APPLIED, VARY));
        }
        r.set(
                "304",
                Responses.empty(
                        "Not modified: the ETag in If-None-Match is current (Location and Retry-After "
                                + "while unfinished).",
                        LOCATION,
                        RETRY_AFTER,
                        PREFERENCE_APPLIED,
                        VARY,
                        ETAG,
                        CACHE_CONTROL));
        r.set("400", badRequest("invalid-request (a malformed If-None-Match)"));
        r.set("404", notFound());
        r.set("500", Responses.internal());
        r.set("503", Responses.unavailable("store-unavailable: try again after Retry-After."));
        return op;
    }

    private ObjectNode result() {
        ObjectNode op = operation(
                "jobs",
                "getJobResult",
                "The job's result",
                "The result's bytes with the media type the handler gave them (resultType in the monitor); a "
                        + "result that is not a Payload is JSON.");
        op.putArray("parameters").add(HeadersAndParameters.parameter(HeadersAndParameters.IF_NONE_MATCH));
        ObjectNode r = op.putObject("responses");
        ObjectNode ok = Responses.empty("The result.", ETAG, CACHE_CONTROL, NOSNIFF);
        ok.putObject("content").putObject("*/*").putObject("schema");
        r.set("200", ok);
        r.set("304", Responses.empty("Not modified: the ETag in If-None-Match is current.", ETAG, CACHE_CONTROL));
        r.set("400", badRequest("invalid-request (a malformed If-None-Match)"));
        r.set("404", notFound());
        r.set(
                "409",
                problem(
                        "result-not-ready (the job is unfinished: Retry-After says when to look again) or "
                                + "no-result (it failed or was canceled).",
                        RETRY_AFTER));
        r.set("500", Responses.internal());
        r.set("503", Responses.unavailable("store-unavailable: try again after Retry-After."));
        return op;
    }

    private ObjectNode cancel() {
        ObjectNode op = operation(
                "jobs",
                "cancelJob",
                "Cancel the job, or remove it once final",
                "Queued: canceled at once (200). Running: cancellation requested (202); the handler sees it. "
                        + "Final: the record is removed (204). With If-Match, only if the job is still that version.");
        op.putArray("parameters").add(HeadersAndParameters.parameter(HeadersAndParameters.IF_MATCH));
        ObjectNode r = op.putObject("responses");
        r.set("200", monitor("The queued job is canceled; it never runs."));
        r.set(
                "202",
                monitor(
                        "Cancellation of the running job is requested (cancelRequested: true).",
                        LOCATION,
                        RETRY_AFTER));
        r.set("204", Responses.empty("The final job's record is removed; its id is 404 from now on.", CACHE_CONTROL));
        r.set("400", badRequest("invalid-request (a malformed If-Match)"));
        r.set("404", notFound());
        r.set("412", problem("precondition-failed: the job changed since the ETag in If-Match; nothing was done."));
        r.set("500", Responses.internal());
        r.set("503", Responses.unavailable("store-unavailable: try again after Retry-After."));
        return op;
    }

    private ObjectNode list() {
        ObjectNode op = operation(
                "jobs",
                "listJobs",
                "The caller's jobs",
                "Newest first, filtered by status, in pages. Anonymous callers cannot list (403).");
        op.putArray("parameters")
                .add(HeadersAndParameters.parameter(HeadersAndParameters.LIST_STATUS))
                .add(HeadersAndParameters.parameter(HeadersAndParameters.LIST_LIMIT))
                .add(HeadersAndParameters.parameter(HeadersAndParameters.LIST_CURSOR));
        ObjectNode r = op.putObject("responses");
        ObjectNode ok = Responses.empty("One page.", HeadersAndParameters.LINK, CACHE_CONTROL, NOSNIFF);
        ok.putObject("content").putObject(Responses.JSON).set("schema", ContractSchemas.refTo(ContractSchemas.LIST));
        r.set("200", ok);
        r.set("400", badRequest("invalid-request (a bad status, limit, cursor or query)"));
        r.set("403", problem("forbidden: listing needs an authenticated caller."));
        r.set("500", Responses.internal());
        r.set("503", Responses.unavailable("store-unavailable: try again after Retry-After."));
        return op;
    }

    private ObjectNode head(ObjectNode get, String operationId) {
        ObjectNode op = operation(
                get.get("tags").get(0).asText(),
                operationId,
                get.get("summary").asText() + " (headers only)",
                "As GET, without the body; Content-Length is the GET's.");
        if (get.has("parameters")) {
            op.set("parameters", get.get("parameters").deepCopy());
        }
        op.set("responses", Responses.forHead((ObjectNode) get.get("responses")));
        return op;
    }

    private ObjectNode options(String allow, String operationId) {
        ObjectNode op = operation(
                "meta",
                operationId,
                "The methods this path supports",
                "Other methods get 405 (method-not-allowed) with the same Allow. Methods are case-sensitive.");
        ObjectNode r = op.putObject("responses");
        r.set("204", Responses.empty("Allow: " + allow + ".", ALLOW));
        r.set("400", badRequest());
        return op;
    }

    private static ObjectNode notFound() {
        return problem("not-found: no such job visible to the caller (unknown, another owner's, or expired).");
    }

    private ObjectNode operation(String tag, String operationId, String summary, String description) {
        ObjectNode op = NODES.objectNode();
        op.putArray("tags").add(tag);
        op.put("operationId", uniqueId(operationId)).put("summary", summary).put("description", description);
        return op;
    }

    private String uniqueId(String wanted) {
        if (operationIds.add(wanted)) {
            return wanted;
        }
        for (int n = 2; ; n++) {
            if (operationIds.add(wanted + "-" + n)) {
                return wanted + "-" + n;
            }
        }
    }

    private static String slug(String path) {
        String slug = path.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
        return slug.isEmpty() ? "root" : slug;
    }
}
