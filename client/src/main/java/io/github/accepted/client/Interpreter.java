package io.github.accepted.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what a server answered and decides the next {@link Step}. Knows Accepted's contract and
 * the common variants: Location-following servers that answer {@code 200} with the resource,
 * and Azure-style monitors that answer {@code 200} with a {@code status} while running.
 */
final class Interpreter {

    static final Set<String> SUCCEEDED = Set.of("succeeded", "success", "completed", "complete", "done");
    static final Set<String> FAILED = Set.of("failed", "failure", "error");
    static final Set<String> CANCELED = Set.of("canceled", "cancelled", "aborted");

    private final ObjectMapper mapper;

    Interpreter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** An answer from a status monitor (or from a submit that did not answer 202). */
    Step status(JobHandle job, URI requested, HttpResponse<byte[]> response) {
        int code = response.statusCode();
        Optional<JsonNode> json = jsonObject(response);
        json.ifPresent(monitor -> job.observe(monitor, response.headers().firstValue("ETag"), requested));
        switch (code) {
            case 200, 201, 203 -> {
                Optional<String> status = json.map(body -> body.path("status"))
                        .filter(JsonNode::isTextual)
                        .map(node -> node.asText().toLowerCase(Locale.ROOT));
                if (status.isEmpty()) {
                    if (isJson(response) && json.isEmpty() && !isJsonValue(response.body())) {
                        return fail(new MalformedResponseException("the server's JSON answer is malformed", null));
                    }
                    return new Step.Done(result(response));
                }
                JsonNode body = json.get();
                if (SUCCEEDED.contains(status.get())) {
                    if (body.path("resultUrl").isTextual()) {
                        return new Step.Get(
                                requested.resolve(body.path("resultUrl").asText()), true, Duration.ZERO);
                    }
                    if (body.has("result")) {
                        return new Step.Done(new JobResult("application/json", bytes(body.get("result")), mapper));
                    }
                    return new Step.Done(result(response));
                }
                if (FAILED.contains(status.get())) {
                    return fail(new RemoteJobFailedException(
                            job.statusUrl(), problem(body).orElse(null)));
                }
                if (CANCELED.contains(status.get())) {
                    return fail(new RemoteJobCanceledException(
                            job.statusUrl(), problem(body).orElse(null)));
                }
                return job.pollAgain(next(requested, response), response);
            }
            case 202 -> {
                // the status code says "not yet"; a garbled body does not change that
                return job.pollAgain(next(requested, response), response);
            }
            case 304 -> {
                return job.pollAgain(requested, response);
            }
            case 301, 302, 303, 307, 308 -> {
                Optional<String> location = response.headers().firstValue("Location");
                if (location.isEmpty()) {
                    return fail(new MalformedResponseException("a redirect without Location", null));
                }
                return new Step.Get(requested.resolve(location.get()), true, Duration.ZERO);
            }
            case 404, 410 -> {
                return fail(new RemoteJobNotFoundException(
                        job.statusUrl(), problem(response).orElse(null)));
            }
            case 429, 503 -> {
                return job.pollAgain(requested, response);
            }
            default -> {
                if (code >= 500) {
                    return job.transientFailure(
                            new Step.Get(requested, false, Duration.ZERO), "the server answered " + code, null);
                }
                return fail(new RequestRejectedException(code, problem(response).orElse(null)));
            }
        }
    }

    /** An answer from a result resource. */
    Step result(JobHandle job, URI requested, HttpResponse<byte[]> response) {
        int code = response.statusCode();
        if (code == 200) {
            return new Step.Done(result(response));
        }
        if (code == 204) {
            return new Step.Done(new JobResult("application/octet-stream", new byte[0], mapper));
        }
        if (code >= 300
                && code < 400
                && response.headers().firstValue("Location").isPresent()) {
            return new Step.Get(
                    requested.resolve(response.headers().firstValue("Location").get()), true, Duration.ZERO);
        }
        if (code == 404 || code == 410) {
            return fail(new RemoteJobNotFoundException(
                    job.statusUrl(), problem(response).orElse(null)));
        }
        if (code == 409 || code == 425 || code == 429 || code == 503) {
            // not ready, or no result: the status monitor tells which
            return job.pollAgain(job.statusUrl(), response);
        }
        if (code >= 500) {
            return job.transientFailure(
                    new Step.Get(requested, true, Duration.ZERO), "the server answered " + code, null);
        }
        return fail(new RequestRejectedException(code, problem(response).orElse(null)));
    }

    private static Step fail(AcceptedClientException error) {
        return new Step.Fail(error);
    }

    private static URI next(URI requested, HttpResponse<byte[]> response) {
        return response.headers().firstValue("Location").map(requested::resolve).orElse(requested);
    }

    private JobResult result(HttpResponse<byte[]> response) {
        return new JobResult(
                response.headers().firstValue("Content-Type").orElse("application/octet-stream"),
                response.body(),
                mapper);
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new MalformedResponseException("the inline result could not be read", e);
        }
    }

    Optional<ProblemDetail> problem(HttpResponse<byte[]> response) {
        return jsonObject(response).flatMap(ProblemDetail::from);
    }

    private static Optional<ProblemDetail> problem(JsonNode monitor) {
        return ProblemDetail.from(monitor.get("error"));
    }

    static boolean isJson(HttpResponse<byte[]> response) {
        String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        String base = type.split(";", -1)[0].trim();
        return base.equals("application/json") || base.endsWith("+json");
    }

    private boolean isJsonValue(byte[] body) {
        try {
            mapper.readTree(body);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The body as a JSON object, when it is declared as JSON and is one. */
    Optional<JsonNode> jsonObject(HttpResponse<byte[]> response) {
        if (!isJson(response) || response.body().length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode node = mapper.readTree(response.body());
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
