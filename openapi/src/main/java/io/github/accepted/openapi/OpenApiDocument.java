package io.github.accepted.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.accepted.protocol.ProtocolEngine;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * An OpenAPI 3.1 document describing a {@link ProtocolEngine}: each submit route with its job
 * type's input schema (generated from the handler's input class, JSON Schema 2020-12), and the
 * monitor endpoints under the jobs path, with every status, header and problem of the contract.
 *
 * <pre>{@code
 * OpenApiDocument doc = OpenApiDocument.of(http, OpenApiInfo.of("Reports", "1.0"));
 * context.addServlet(new ServletHolder(new AcceptedOpenApiServlet(doc)), "/openapi.json");
 * }</pre>
 *
 * <p>Immutable and thread-safe; built once, from the engine's configuration at that moment.
 */
public final class OpenApiDocument {

    /** The OpenAPI version the document follows. */
    public static final String OPENAPI_VERSION = "3.1.1";

    private static final ObjectMapper WRITER =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final ObjectNode tree;
    private final byte[] json;

    private OpenApiDocument(ObjectNode tree) {
        this.tree = tree;
        try {
            this.json = WRITER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Describes {@code engine} as it is configured now: its routes, its jobs path, and each route's
     * job type's input class (from the engine's handlers). Build it once, at startup.
     */
    public static OpenApiDocument of(ProtocolEngine engine, OpenApiInfo info) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(info, "info");
        Set<String> types = new LinkedHashSet<>();
        engine.routes().forEach(route -> types.add(route.type()));
        InputSchemas inputs = new InputSchemas(engine.accepted(), types);

        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("openapi", OPENAPI_VERSION);
        ObjectNode about = root.putObject("info").put("title", info.title()).put("version", info.version());
        if (!info.description().isEmpty()) {
            about.put("description", info.description());
        }
        for (String url : info.servers()) {
            root.withArrayProperty("servers").addObject().put("url", url);
        }
        root.putArray("tags")
                .add(tag("submit", "Endpoints that take a job's input and answer 202 Accepted."))
                .add(tag("jobs", "Status monitors, results, cancel, list."))
                .add(tag("meta", "OPTIONS."));
        root.set("paths", new Operations(engine, inputs.byType()).paths());
        ObjectNode components = root.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        ContractSchemas.addTo(schemas);
        schemas.setAll(inputs.definitions());
        HeadersAndParameters.addHeaders(components.putObject("headers"));
        HeadersAndParameters.addParameters(components.putObject("parameters"));
        return new OpenApiDocument(root);
    }

    /** This document with these {@code servers} instead of its own. */
    public OpenApiDocument withServers(String... urls) {
        ObjectNode copy = tree.deepCopy();
        copy.remove("servers");
        ObjectNode ordered = JsonNodeFactory.instance.objectNode();
        copy.properties().forEach(entry -> {
            ordered.set(entry.getKey(), entry.getValue());
            if (entry.getKey().equals("info")) {
                for (String url : urls) {
                    ordered.withArrayProperty("servers").addObject().put("url", Objects.requireNonNull(url, "url"));
                }
            }
        });
        return new OpenApiDocument(ordered);
    }

    /** Whether the document names its servers (else a client resolves paths against where it got it). */
    public boolean hasServers() {
        return tree.has("servers");
    }

    /** The document as a JSON tree (a copy: changing it changes nothing here). */
    public JsonNode tree() {
        return tree.deepCopy();
    }

    /** The document as UTF-8 JSON (a copy). */
    public byte[] json() {
        return json.clone();
    }

    @Override
    public String toString() {
        return new String(json, StandardCharsets.UTF_8);
    }

    private static ObjectNode tag(String name, String description) {
        return JsonNodeFactory.instance.objectNode().put("name", name).put("description", description);
    }
}
