package io.github.accepted.conformance;

import io.github.accepted.Accepted;
import io.github.accepted.InvalidInputException;
import io.github.accepted.JobFailedException;
import io.github.accepted.JobHandler;
import io.github.accepted.Payload;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The job types the conformance suites run. Register them all with {@link #registerAll}.
 *
 * <ul>
 *   <li>{@code echo} {@code {"text": "…"}} → {@code {"echo": "…"}}; {@code "invalid"} is refused
 *       by {@code validate}, a missing text by the record's constructor;</li>
 *   <li>{@code gated} {@code {"gate": "…"}} reports 50 % then waits for {@link Gates#open};</li>
 *   <li>{@code stubborn} {@code {"gate": "…"}} waits for its gate and ignores interruption;</li>
 *   <li>{@code fail} {@code {"explain": true|false}} fails with a client-facing problem, or with an
 *       internal exception whose message must never reach a client;</li>
 *   <li>{@code document} {@code {}} returns a {@code text/plain} payload;</li>
 *   <li>{@code meta} {@code {"gate": "…"}} publishes metadata, then waits for its gate;</li>
 *   <li>{@code slow} {@code {"millis": n}} sleeps n ms (interruptibly), then returns n;</li>
 *   <li>{@code hang} {@code {"gate": "…"}} waits for its gate, but may run only 300 ms ({@code timeout()});</li>
 *   <li>{@code visible-echo} is {@code echo} under another name (for a route that shows input),
 *       and {@code paced} is {@code gated} (for a route with a fixed {@code Retry-After}).</li>
 * </ul>
 */
public final class TestHandlers {

    /** The text of the document the {@code document} type returns. */
    public static final String DOCUMENT = "Annual summary\nAll good.\n";
    /** The message of the internal failure that must never reach a client. */
    public static final String SECRET = "SECRET-internal-detail at /etc/accepted/db.properties";

    private TestHandlers() {}

    /** {@code echo}'s input: a record that checks itself. */
    public record EchoInput(String text) {
        /** Refuses a missing text. */
        public EchoInput {
            if (text == null) {
                throw new IllegalArgumentException("text is required");
            }
        }
    }

    /** The input of the gated and stubborn handlers: the name of the gate to wait at. */
    public record GateInput(String gate) {}

    /** {@code slow}'s input. */
    public record Sleep(int millis) {}

    /** {@code fail}'s input. */
    public record FailInput(boolean explain) {}

    /** {@code document}'s input: nothing. */
    public record Empty() {}

    /** Registers every test type on {@code builder}. */
    public static Accepted.Builder registerAll(Accepted.Builder builder) {
        return builder.handler("echo", EchoInput.class, new JobHandler<EchoInput, Map<String, String>>() {
                    @Override
                    public Map<String, String> handle(EchoInput input, io.github.accepted.JobContext context) {
                        return Map.of("echo", input.text());
                    }

                    @Override
                    public void validate(EchoInput input) {
                        if (input.text().equals("invalid")) {
                            throw new InvalidInputException("text must not be \"invalid\"");
                        }
                    }
                })
                .handler("gated", GateInput.class, (input, context) -> {
                    context.progress(50, "waiting at the gate");
                    Gates.await(input.gate());
                    return Map.of("gate", input.gate());
                })
                .handler("paced", GateInput.class, (input, context) -> {
                    context.progress(50, "waiting at the gate");
                    Gates.await(input.gate());
                    return Map.of("gate", input.gate());
                })
                .handler("slow", Sleep.class, (input, context) -> {
                    Thread.sleep(input.millis());
                    return input.millis();
                })
                .handler("hang", GateInput.class, new JobHandler<GateInput, String>() {
                    @Override
                    public String handle(GateInput input, io.github.accepted.JobContext context) throws Exception {
                        Gates.await(input.gate());
                        return "late";
                    }

                    @Override
                    public java.util.Optional<java.time.Duration> timeout() {
                        return java.util.Optional.of(java.time.Duration.ofMillis(300));
                    }
                })
                .handler("visible-echo", EchoInput.class, (input, context) -> Map.of("echo", input.text()))
                .handler("stubborn", GateInput.class, (input, context) -> {
                    while (!Gates.isOpen(input.gate())) {
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException ignored) {
                            // this handler ignores interruption on purpose
                        }
                    }
                    return Map.of("gate", input.gate());
                })
                .handler("fail", FailInput.class, (input, context) -> {
                    if (input.explain()) {
                        throw new JobFailedException("the report source is offline");
                    }
                    throw new IllegalStateException(SECRET);
                })
                .handler("meta", GateInput.class, (input, context) -> {
                    context.metadata(Map.of("stage", "render", "rows", 1200));
                    Gates.await(input.gate());
                    return Map.of("gate", input.gate());
                })
                .handler(
                        "document",
                        Empty.class,
                        (input, context) ->
                                new Payload("text/plain; charset=utf-8", DOCUMENT.getBytes(StandardCharsets.UTF_8)));
    }
}
