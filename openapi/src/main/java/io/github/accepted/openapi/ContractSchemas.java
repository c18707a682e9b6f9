package io.github.accepted.openapi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.protocol.ProtocolEngine;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The schemas of what the engine writes: the status monitor, the job list, the RFC 9457 problem.
 * Fields as {@code docs/protocol.md} lists them and the engine's JSON writer writes them.
 */
final class ContractSchemas {

    static final String MONITOR = "StatusMonitor";
    static final String LIST = "JobList";
    static final String PROBLEM = "Problem";
    static final String PROGRESS = "Progress";
    static final String STATUS = "JobStatus";

    /** Names an input class's schema must not take. */
    static final Set<String> RESERVED = Set.of(MONITOR, LIST, PROBLEM, PROGRESS, STATUS);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ContractSchemas() {}

    static String ref(String name) {
        return "#/components/schemas/" + name;
    }

    static ObjectNode refTo(String name) {
        return NODES.objectNode().put("$ref", ref(name));
    }

    /** Adds the contract's schemas to {@code schemas} ({@code components/schemas}). */
    static void addTo(ObjectNode schemas) {
        schemas.set(STATUS, status());
        schemas.set(PROGRESS, progress());
        schemas.set(PROBLEM, problem());
        schemas.set(MONITOR, monitor());
        schemas.set(LIST, list());
    }

    private static ObjectNode status() {
        ObjectNode schema = NODES.objectNode()
                .put("type", "string")
                .put("description", "queued → running → succeeded | failed | canceled; the last three are final.");
        for (JobStatus status : JobStatus.values()) {
            schema.withArrayProperty("enum").add(status.wireName());
        }
        return schema;
    }

    private static ObjectNode progress() {
        ObjectNode schema = object("How far the handler says it got.", "percent");
        ObjectNode properties = schema.putObject("properties");
        properties.set("percent", integer("0 to 100.", 0, 100));
        properties.set("message", string("What the handler is doing, when it said so."));
        return schema;
    }

    private static ObjectNode problem() {
        ObjectNode schema = object(
                "An RFC 9457 problem. No stack trace or class name ever appears in one.", "type", "title", "status");
        ObjectNode properties = schema.putObject("properties");
        properties.set(
                "type",
                string("The kind of problem, urn:accepted:problem:<name>; see docs/protocol.md.")
                        .put("format", "uri-reference"));
        properties.set("title", string("A short summary of the kind of problem."));
        properties.set(
                "status", integer("The HTTP status it came with (inside a job's error: the outcome's).", 100, 599));
        properties.set("detail", string("What went wrong this time, for a person to read."));
        properties.set(
                "instance", string("The status monitor of the job it concerns.").put("format", "uri"));
        return schema;
    }

    private static ObjectNode monitor() {
        ObjectNode schema = object(
                "The status monitor of one job.",
                "jobId",
                "type",
                "status",
                "done",
                "progress",
                "attempt",
                "createdAt",
                "updatedAt",
                "statusUrl");
        schema.put("additionalProperties", false);
        ObjectNode p = schema.putObject("properties");
        p.set(
                "jobId",
                string("128 random bits as " + JobId.LENGTH + " URL-safe base64 characters.")
                        .put("pattern", "^[A-Za-z0-9_-]{" + JobId.LENGTH + "}$"));
        p.set("type", string("The job type (the handler's name)."));
        p.set("status", refTo(STATUS));
        p.set("done", NODES.objectNode().put("type", "boolean").put("description", "Whether the status is final."));
        p.set("progress", refTo(PROGRESS));
        p.set("attempt", integer("How many times a worker started it; 0 while it never ran.", 0, null));
        p.set(
                "metadata",
                NODES.objectNode()
                        .put("type", "object")
                        .put("description", "Small values the handler published (at most 4 KiB as JSON)."));
        p.set(
                "cancelRequested",
                NODES.objectNode()
                        .put("const", true)
                        .put("description", "Present while a running job is being canceled."));
        p.set("createdAt", instant("When it was submitted."));
        p.set("updatedAt", instant("When it last changed."));
        p.set("startedAt", instant("When the current attempt started; once running."));
        p.set("finishedAt", instant("When it finished; once final."));
        p.set("expiresAt", instant("When its record will be purged; once final."));
        p.set("statusUrl", string("This monitor's absolute URL.").put("format", "uri"));
        p.set("resultUrl", string("Where the result is served; once succeeded.").put("format", "uri"));
        p.set("resultType", string("The result's media type; once succeeded."));
        p.set(
                "result",
                NODES.objectNode()
                        .put(
                                "description",
                                "The result itself: succeeded, JSON, and at most the inline limit (default 64 KiB)."));
        p.set(
                "input",
                NODES.objectNode()
                        .put(
                                "description",
                                "The submitted input; only where the route echoes it (Route.echoInput())."));
        p.set(
                "error",
                NODES.objectNode()
                        .put("description", "Why it failed or was canceled.")
                        .set("allOf", NODES.arrayNode().add(refTo(PROBLEM))));
        return schema;
    }

    private static ObjectNode list() {
        ObjectNode schema = object("One page of the caller's jobs, newest first.", "jobs");
        schema.put("additionalProperties", false);
        ObjectNode p = schema.putObject("properties");
        p.putObject("jobs")
                .put("type", "array")
                .put("maxItems", ProtocolEngine.MAX_PAGE_SIZE)
                .set("items", refTo(MONITOR));
        p.set("next", string("The next page's URL; absent on the last page.").put("format", "uri"));
        return schema;
    }

    private static ObjectNode object(String description, String... required) {
        ObjectNode schema = NODES.objectNode().put("type", "object").put("description", description);
        for (String name : required) {
            schema.withArrayProperty("required").add(name);
        }
        return schema;
    }

    static ObjectNode string(String description) {
        return NODES.objectNode().put("type", "string").put("description", description);
    }

    static ObjectNode integer(String description, @Nullable Integer minimum, @Nullable Integer maximum) {
        ObjectNode schema = NODES.objectNode().put("type", "integer").put("description", description);
        if (minimum != null) {
            schema.put("minimum", minimum);
        }
        if (maximum != null) {
            schema.put("maximum", maximum);
        }
        return schema;
    }

    private static ObjectNode instant(String description) {
        return string(description + " ISO-8601, UTC.").put("format", "date-time");
    }
}
