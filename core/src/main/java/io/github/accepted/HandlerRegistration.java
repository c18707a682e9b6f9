package io.github.accepted;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.github.accepted.internal.PayloadBytes;
import java.util.Objects;

/** A handler with the name and input class it was registered under. */
record HandlerRegistration<I, O>(String type, Class<I> inputClass, JobHandler<I, O> handler) {

    HandlerRegistration {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(inputClass, "inputClass");
        Objects.requireNonNull(handler, "handler");
        if (!type.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException(
                    "a job type is 1 to 64 characters of letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
    }

    /** Parses and validates a submitted input; throws {@link InvalidInputException}. */
    I readAndValidate(ObjectReader reader, byte[] json) {
        I input = inputClass.cast(InputReader.read(reader, json)); // a checked cast: the reader is for inputClass
        try {
            handler.validate(input);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage() == null ? "invalid input" : e.getMessage());
        }
        return input;
    }

    /** Runs the handler on a stored input. */
    O run(ObjectMapper mapper, Payload input, JobContext context) throws Exception {
        return handler.handle(mapper.readValue(PayloadBytes.readOnly(input), inputClass), context);
    }
}
