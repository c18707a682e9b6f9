package io.github.accepted.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.accepted.Job;
import io.github.accepted.JobStatus;
import io.github.accepted.Payload;
import io.github.accepted.Problem;
import io.github.accepted.internal.IsoInstants;
import io.github.accepted.spi.Callback;
import io.github.accepted.spi.CallbackState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Writes status monitors, job lists and problems as JSON. */
final class Json {

    private final JsonFactory factory;
    private final int maxInlineResultBytes;

    Json(JsonFactory factory, int maxInlineResultBytes) {
        this.factory = factory;
        this.maxInlineResultBytes = maxInlineResultBytes;
    }

    int maxInlineResultBytes() {
        return maxInlineResultBytes;
    }

    interface Body {
        void write(JsonGenerator gen) throws IOException;
    }

    private byte[] write(int sizeHint, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        try (JsonGenerator gen = factory.createGenerator(out)) {
            body.write(gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    byte[] monitor(Job job, Urls urls, boolean echoInput) {
        return monitor(job, urls, echoInput, List.of());
    }

    byte[] monitor(Job job, Urls urls, boolean echoInput, List<Callback> callbacks) {
        return write(
                1024,
                gen -> { // a monitor is some 500 bytes: no growing and copying on the way
                    writeMonitor(gen, job, urls, echoInput, callbacks);
                });
    }

    byte[] list(List<Job> jobs, Urls urls, Optional<String> next, java.util.function.Predicate<Job> echoInput) {
        return write(256 + 400 * jobs.size(), gen -> {
            gen.writeStartObject();
            gen.writeArrayFieldStart("jobs");
            for (Job job : jobs) {
                writeMonitor(gen, job, urls, echoInput.test(job), List.of());
            }
            gen.writeEndArray();
            if (next.isPresent()) {
                gen.writeStringField("next", next.get());
            }
            gen.writeEndObject();
        });
    }

    byte[] problem(Problem problem, Optional<String> instance) {
        return write(256, gen -> {
            writeProblem(gen, problem, instance);
        });
    }

    private void writeMonitor(JsonGenerator gen, Job job, Urls urls, boolean echoInput, List<Callback> callbacks)
            throws IOException {
        String statusUrl = urls.status(job.id());
        String resultUrl = urls.result(job.id());
        gen.writeStartObject();
        gen.writeStringField("jobId", job.id().value());
        gen.writeStringField("type", job.type());
        gen.writeStringField("status", job.status().wireName());
        gen.writeBooleanField("done", job.status().isTerminal());
        gen.writeObjectFieldStart("progress");
        gen.writeNumberField("percent", job.progress().percent());
        if (!job.progress().message().isEmpty()) {
            gen.writeStringField("message", job.progress().message());
        }
        gen.writeEndObject();
        if (job.metadata().isPresent()) {
            gen.writeFieldName("metadata");
            gen.writeRawValue(job.metadata().get().text());
        }
        gen.writeNumberField("attempt", job.attempt());
        if (job.cancelRequested()) {
            gen.writeBooleanField("cancelRequested", true);
        }
        writeInstant(gen, "createdAt", Optional.of(job.createdAt()));
        writeInstant(gen, "updatedAt", Optional.of(job.updatedAt()));
        writeInstant(gen, "startedAt", job.startedAt());
        writeInstant(gen, "finishedAt", job.finishedAt());
        writeInstant(gen, "expiresAt", job.expiresAt());
        gen.writeStringField("statusUrl", statusUrl);
        if (job.result().isPresent()) {
            Payload result = job.result().get();
            gen.writeStringField("resultUrl", resultUrl);
            gen.writeStringField("resultType", result.mediaType());
            if (result.isLoaded() && result.isJson() && result.size() <= maxInlineResultBytes) {
                gen.writeFieldName("result");
                gen.writeRawValue(result.text());
            }
        }
        if (echoInput && job.input().isLoaded() && job.input().isJson()) {
            gen.writeFieldName("input");
            gen.writeRawValue(job.input().text());
        }
        if (job.error().isPresent()) {
            gen.writeFieldName("error");
            writeProblem(gen, job.error().get(), Optional.of(statusUrl));
        }
        if (!callbacks.isEmpty()) {
            writeCallbacks(gen, callbacks);
        }
        gen.writeEndObject();
    }

    /** Each callback the client asked for, and how far its delivery got. */
    private static void writeCallbacks(JsonGenerator gen, List<Callback> callbacks) throws IOException {
        gen.writeArrayFieldStart("callbacks");
        for (Callback callback : callbacks) {
            gen.writeStartObject();
            gen.writeStringField("url", callback.url().toString());
            gen.writeArrayFieldStart("events");
            for (JobStatus event : JobStatus.values()) {
                if (callback.events().contains(event)) {
                    gen.writeString(event.wireName());
                }
            }
            gen.writeEndArray();
            gen.writeStringField("state", callback.state().wireName());
            gen.writeNumberField("attempts", callback.attempts());
            if (callback.state() == CallbackState.PENDING && callback.attempts() > 0) {
                writeInstant(gen, "nextAttemptAt", callback.dueAt());
            }
            if (callback.lastError().isPresent()) {
                gen.writeStringField("lastError", callback.lastError().get());
            }
            gen.writeEndObject();
        }
        gen.writeEndArray();
    }

    private static void writeProblem(JsonGenerator gen, Problem problem, Optional<String> instance) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("type", problem.type());
        gen.writeStringField("title", problem.title());
        gen.writeNumberField("status", problem.status());
        if (!problem.detail().isEmpty()) {
            gen.writeStringField("detail", problem.detail());
        }
        if (instance.isPresent()) {
            gen.writeStringField("instance", instance.get());
        }
        gen.writeEndObject();
    }

    private static void writeInstant(JsonGenerator gen, String name, Optional<Instant> value) throws IOException {
        if (value.isPresent()) {
            byte[] text = new byte[IsoInstants.MAX_LENGTH];
            int length = IsoInstants.format(value.get(), text);
            if (length < 0) {
                gen.writeStringField(name, value.get().toString());
                return;
            }
            gen.writeFieldName(name);
            gen.writeRawUTF8String(text, 0, length); // ASCII digits and punctuation: nothing to escape
        }
    }
}
