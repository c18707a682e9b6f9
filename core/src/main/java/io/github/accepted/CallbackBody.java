package io.github.accepted;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.accepted.internal.IsoInstants;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The body of a callback: the job's status monitor as {@code GET /jobs/{id}} shows it with the
 * protocol engine's defaults (a JSON result up to 64 KiB inline, the input never echoed).
 * {@code CallbackBodyTest} holds it equal to the monitor the protocol engine writes.
 */
final class CallbackBody {

    static final int MAX_INLINE_RESULT_BYTES = 64 << 10;

    private CallbackBody() {}

    static byte[] of(JsonFactory factory, Job job, String jobsUrl) {
        String statusUrl = jobsUrl + "/" + job.id().value();
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator gen = factory.createGenerator(out)) {
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
            instant(gen, "createdAt", Optional.of(job.createdAt()));
            instant(gen, "updatedAt", Optional.of(job.updatedAt()));
            instant(gen, "startedAt", job.startedAt());
            instant(gen, "finishedAt", job.finishedAt());
            instant(gen, "expiresAt", job.expiresAt());
            gen.writeStringField("statusUrl", statusUrl);
            if (job.result().isPresent()) {
                Payload result = job.result().get();
                gen.writeStringField("resultUrl", statusUrl + "/result");
                gen.writeStringField("resultType", result.mediaType());
                if (result.isJson() && result.size() <= MAX_INLINE_RESULT_BYTES) {
                    gen.writeFieldName("result");
                    gen.writeRawValue(result.text());
                }
            }
            if (job.error().isPresent()) {
                Problem problem = job.error().get();
                gen.writeObjectFieldStart("error");
                gen.writeStringField("type", problem.type());
                gen.writeStringField("title", problem.title());
                gen.writeNumberField("status", problem.status());
                if (!problem.detail().isEmpty()) {
                    gen.writeStringField("detail", problem.detail());
                }
                gen.writeStringField("instance", statusUrl);
                gen.writeEndObject();
            }
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void instant(JsonGenerator gen, String name, Optional<Instant> value) throws IOException {
        if (value.isPresent()) {
            gen.writeStringField(name, IsoInstants.format(value.get()));
        }
    }
}
