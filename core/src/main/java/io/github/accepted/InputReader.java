package io.github.accepted;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Reads a submitted JSON input into its type, and turns every way that can fail into an
 * {@link InvalidInputException} whose message is safe for the client: a JSON pointer and what
 * was wrong there, never a Java class name.
 */
final class InputReader {

    private InputReader() {}

    /** Reads {@code json} with {@code reader}, made by {@code mapper.readerFor(type)}. */
    static Object read(ObjectReader reader, byte[] json) {
        Object value;
        try {
            value = reader.readValue(json);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(describe(e));
        } catch (IOException e) {
            throw new InvalidInputException("the body could not be read as JSON");
        } catch (InvalidInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(safeMessage(e.getMessage()));
        }
        if (value == null) {
            throw new InvalidInputException("the body must be a JSON object, not null");
        }
        return value;
    }

    private static String describe(JsonProcessingException e) {
        // a syntax error may arrive wrapped in a mapping exception: look for it first
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamConstraintsException) {
                return "the JSON is too deeply nested or holds a value that is too long";
            }
            if (cause instanceof StreamReadException syntax && !(cause instanceof DatabindException)) {
                JsonLocation where = syntax.getLocation();
                return where == null
                        ? "malformed JSON"
                        : "malformed JSON at line " + where.getLineNr() + ", column " + where.getColumnNr();
            }
        }
        if (e instanceof ValueInstantiationException instantiation) {
            return instantiationMessage(instantiation);
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field \"" + abbreviate(String.valueOf(unknown.getPropertyName())) + "\" at "
                    + pointer(unknown.getPath());
        }
        if (e instanceof InvalidFormatException invalid) {
            return "invalid value at " + pointer(invalid.getPath());
        }
        if (e instanceof MismatchedInputException mismatched) {
            return mismatched.getPath().isEmpty()
                    ? "the body does not have the expected shape (a JSON object)"
                    : "wrong type, or missing value, at " + pointer(mismatched.getPath());
        }
        if (e instanceof JsonMappingException mapping) {
            Throwable cause = mapping.getCause();
            if (cause instanceof InvalidInputException || cause instanceof IllegalArgumentException) {
                return safeMessage(cause.getMessage());
            }
            return "invalid value at " + pointer(mapping.getPath());
        }
        return "malformed JSON";
    }

    private static String instantiationMessage(ValueInstantiationException e) {
        Throwable cause = e.getCause();
        while (cause != null) {
            if (cause instanceof InvalidInputException || cause instanceof IllegalArgumentException) {
                return safeMessage(cause.getMessage());
            }
            cause = cause.getCause();
        }
        return "invalid value at " + pointer(e.getPath());
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }

    private static String safeMessage(@Nullable String message) {
        return message == null || message.isBlank() ? "invalid input" : message;
    }

    /** A JSON pointer (RFC 6901) for Jackson's reference path; "/" stands for the whole body. */
    static String pointer(java.util.List<JsonMappingException.Reference> path) {
        if (path.isEmpty()) {
            return "/";
        }
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            pointer.append('/');
            if (ref.getFieldName() != null) {
                pointer.append(abbreviate(ref.getFieldName()).replace("~", "~0").replace("/", "~1"));
            } else if (ref.getIndex() >= 0) {
                pointer.append(ref.getIndex());
            } else {
                pointer.append('-');
            }
        }
        return pointer.toString();
    }
}
