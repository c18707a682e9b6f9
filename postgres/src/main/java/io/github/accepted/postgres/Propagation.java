package io.github.accepted.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A job's {@link io.github.accepted.Job#propagation()} in its {@code propagation jsonb} column:
 * a JSON object of strings, NULL when empty (most jobs carry none).
 */
final class Propagation {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

    private Propagation() {}

    /** The column's value for {@code context}: JSON text, or null when it is empty. */
    static @Nullable String write(Map<String, String> context) {
        if (context.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(context);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    /** The context stored in the column ({@code json}: its text, or null). */
    static Map<String, String> read(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the propagation column holds no JSON object of strings", e);
        }
    }
}
