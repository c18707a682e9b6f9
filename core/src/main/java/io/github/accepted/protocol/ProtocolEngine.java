package io.github.accepted.protocol;

import io.github.accepted.Accepted;
import io.github.accepted.CancelResult;
import io.github.accepted.InvalidInputException;
import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.JobNotFoundException;
import io.github.accepted.JobStatus;
import io.github.accepted.Payload;
import io.github.accepted.Problem;
import io.github.accepted.RejectedJobException;
import io.github.accepted.spi.ListCursor;
import io.github.accepted.spi.Page;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP contract of Accepted, once, for every framework: a {@link ProtocolRequest} in, an
 * {@link AcceptedResponse} out. Adapters translate and write; every decision is made here.
 *
 * <pre>{@code
 * ProtocolEngine http = ProtocolEngine.builder(accepted)
 *     .route("POST", "/api/reports", "report")   // submit endpoint → job type
 *     .build();                                  // monitors under /jobs
 * }</pre>
 *
 * <p>It answers submissions on its routes and the monitor endpoints under its jobs path
 * ({@code GET /jobs}, {@code GET|DELETE /jobs/{id}}, {@code GET /jobs/{id}/result}); the full
 * contract is in {@code docs/protocol.md}. Thread-safe; it never throws: any failure becomes a
 * problem response.
 */
public final class ProtocolEngine {

    /** Default path under which the monitor endpoints are served. */
    public static final String DEFAULT_JOBS_PATH = "/jobs";
    /** Default largest request body: 1 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    /** Default largest JSON result written inline in the status monitor: 64 KiB. */
    public static final int DEFAULT_MAX_INLINE_RESULT_BYTES = 64 << 10;
    /** Default {@code Retry-After} for unfinished jobs: 1 second. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    /** Default page size of {@code GET /jobs}. */
    public static final int DEFAULT_PAGE_SIZE = 20;
    /** Largest page size of {@code GET /jobs}. */
    public static final int MAX_PAGE_SIZE = 100;

    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolEngine.class);

    private final Accepted accepted;
    private final String jobsPath;
    private final Map<String, Map<String, String>> routes;
    private final int maxBodyBytes;
    private final String retryAfterSeconds;
    private final boolean resultRedirect;
    private final Json json;

    private ProtocolEngine(Builder b) {
        this.accepted = b.accepted;
        this.jobsPath = b.jobsPath != null ? b.jobsPath : DEFAULT_JOBS_PATH;
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        b.routes.forEach((path, methods) -> copy.put(path, Map.copyOf(methods)));
        this.routes = Map.copyOf(copy);
        this.maxBodyBytes = b.maxBodyBytes != null ? b.maxBodyBytes : DEFAULT_MAX_BODY_BYTES;
        Duration retryAfter = b.retryAfter != null ? b.retryAfter : DEFAULT_RETRY_AFTER;
        this.retryAfterSeconds = seconds(retryAfter);
        this.resultRedirect = b.resultRedirect != null && b.resultRedirect;
        int maxInline = b.maxInlineResultBytes != null ? b.maxInlineResultBytes : DEFAULT_MAX_INLINE_RESULT_BYTES;
        this.json = new Json(accepted.objectMapper().getFactory(), maxInline);
    }

    /** A builder for an engine over {@code accepted}. */
    public static Builder builder(Accepted accepted) {
        return new Builder(accepted);
    }

    /** The path under which monitors are served, such as {@code /jobs}. */
    public String jobsPath() {
        return jobsPath;
    }

    /** The exact paths of the submit routes. */
    public Set<String> routePaths() {
        return routes.keySet();
    }

    /** The job engine behind this protocol. */
    public Accepted accepted() {
        return accepted;
    }

    /**
     * Answers one request. Never throws: an unexpected failure is logged and answered with a
     * {@code 500} problem that reveals nothing of it.
     */
    public AcceptedResponse handle(ProtocolRequest request) {
        try {
            return dispatch(request);
        } catch (RuntimeException e) {
            LOG.error("could not answer {} {}", request.method(), request.path(), e);
            return problem(Problems.internal(), Map.of());
        }
    }

    private AcceptedResponse dispatch(ProtocolRequest request) {
        String path = request.path();
        Map<String, String> routeMethods = routes.get(path);
        if (routeMethods != null) {
            String type = routeMethods.get(request.method());
            if (type != null) {
                return submit(request, type);
            }
            return notAllowed(request, String.join(", ", new java.util.TreeSet<>(routeMethods.keySet())));
        }
        if (path.equals(jobsPath) || path.equals(jobsPath + "/")) {
            return isRead(request) ? list(request) : notAllowed(request, "GET, HEAD");
        }
        if (path.startsWith(jobsPath + "/")) {
            String rest = path.substring(jobsPath.length() + 1);
            int slash = rest.indexOf('/');
            if (slash < 0) {
                return switch (request.method()) {
                    case "GET", "HEAD" -> status(request, rest);
                    case "DELETE" -> cancel(request, rest);
                    default -> notAllowed(request, "GET, HEAD, DELETE");
                };
            }
            if (rest.substring(slash).equals("/result")) {
                return isRead(request) ? result(request, rest.substring(0, slash)) : notAllowed(request, "GET, HEAD");
            }
        }
        return problem(Problems.noRoute(), Map.of());
    }

    private static boolean isRead(ProtocolRequest request) {
        return request.method().equals("GET") || request.method().equals("HEAD");
    }

    // ---- submit -------------------------------------------------------------------------

    private AcceptedResponse submit(ProtocolRequest request, String type) {
        if (!isJson(request.header("Content-Type"))) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Accept-Post", JSON);
            return problem(Problems.unsupportedMediaType(), headers);
        }
        Optional<String> declared = request.header("Content-Length");
        if (declared.isPresent()) {
            long length;
            try {
                length = Long.parseLong(declared.get().trim());
            } catch (NumberFormatException e) {
                return problem(Problems.invalidRequest("Content-Length is not a number."), Map.of());
            }
            if (length > maxBodyBytes) {
                return problem(Problems.tooLarge(maxBodyBytes), Map.of("Connection", "close"));
            }
        }
        byte[] body;
        try {
            body = readBody(request.body());
        } catch (BodyTooLargeException e) {
            return problem(Problems.tooLarge(maxBodyBytes), Map.of("Connection", "close"));
        } catch (IOException e) {
            return problem(Problems.invalidRequest("The request body could not be read."), Map.of());
        }
        if (body.length == 0) {
            return problem(Problems.invalidInput("The request needs a JSON body (send {} for no input)."), Map.of());
        }
        Job job;
        try {
            job = accepted.submitJson(type, request.owner(), body);
        } catch (InvalidInputException e) {
            return problem(Problems.invalidInput(e.getMessage()), Map.of());
        } catch (RejectedJobException e) {
            String name = switch (e.reason()) {
                case QUEUE_FULL -> "queue-full";
                case STORE_FULL -> "store-full";
                case SHUTTING_DOWN -> "shutting-down";
            };
            return problem(Problems.unavailable(name, e.getMessage() + "; try again later."),
                    Map.of("Retry-After", seconds(e.retryAfter())));
        }
        Urls urls = Urls.of(request, jobsPath);
        String statusUrl = urls.status(job.id());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", statusUrl);
        headers.put("Operation-Location", statusUrl);
        headers.put("Retry-After", retryAfterSeconds);
        return monitorResponse(202, headers, job, urls);
    }

    private static boolean isJson(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return false;
        }
        String[] parts = contentType.get().split(";");
        String base = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!base.equals(JSON) && !(base.startsWith("application/") && base.endsWith("+json"))) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param[0].trim().equalsIgnoreCase("charset") && param.length == 2) {
                String charset = param[1].trim().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    return false;
                }
            }
        }
        return true;
    }

    private byte[] readBody(InputStream in) throws IOException {
        byte[] buffer = new byte[Math.min(8192, maxBodyBytes + 1)];
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                if (length > maxBodyBytes) {
                    throw new BodyTooLargeException();
                }
                buffer = java.util.Arrays.copyOf(buffer, Math.min(buffer.length * 2, maxBodyBytes + 1));
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                break;
            }
            length += read;
            if (length > maxBodyBytes) {
                throw new BodyTooLargeException();
            }
        }
        return java.util.Arrays.copyOf(buffer, length);
    }

    private static final class BodyTooLargeException extends IOException {
        BodyTooLargeException() {
            super("body too large");
        }
    }

    // ---- monitors -----------------------------------------------------------------------

    private AcceptedResponse status(ProtocolRequest request, String idText) {
        Optional<Job> found = JobId.parse(idText).flatMap(id -> accepted.find(id, request.owner()));
        if (found.isEmpty()) {
            return problem(Problems.notFound(), Map.of());
        }
        Job job = found.get();
        Urls urls = Urls.of(request, jobsPath);
        Map<String, String> headers = new LinkedHashMap<>();
        boolean unfinished = !job.status().isTerminal();
        if (unfinished) {
            headers.put("Location", urls.status(job.id()));
            headers.put("Retry-After", retryAfterSeconds);
        }
        String tag = EntityTags.monitor(job);
        Optional<AcceptedResponse> notModified = notModified(request, tag, headers);
        if (notModified.isPresent()) {
            return notModified.get();
        }
        return switch (job.status()) {
            case QUEUED, RUNNING -> monitorResponse(202, headers, job, urls);
            case SUCCEEDED -> {
                if (resultRedirect) {
                    headers.put("Location", urls.result(job.id()));
                    yield monitorResponse(303, headers, job, urls);
                }
                yield monitorResponse(200, headers, job, urls);
            }
            case FAILED, CANCELED -> monitorResponse(200, headers, job, urls);
        };
    }

    /**
     * {@code 304 Not Modified} when {@code If-None-Match} matches {@code tag}; a {@code 400} when
     * it is malformed; empty otherwise.
     */
    private Optional<AcceptedResponse> notModified(ProtocolRequest request, String tag, Map<String, String> headers) {
        Optional<Boolean> hit;
        try {
            hit = EntityTags.noneMatchHits(request.header("If-None-Match"), tag);
        } catch (IllegalArgumentException e) {
            return Optional.of(problem(Problems.invalidRequest(e.getMessage()), Map.of()));
        }
        if (hit.orElse(false)) {
            Map<String, String> reply = new LinkedHashMap<>(headers);
            reply.put("ETag", tag);
            reply.put("Cache-Control", "no-store");
            return Optional.of(new AcceptedResponse(304, reply, new byte[0]));
        }
        return Optional.empty();
    }

    private AcceptedResponse result(ProtocolRequest request, String idText) {
        Optional<Job> found = JobId.parse(idText).flatMap(id -> accepted.find(id, request.owner()));
        if (found.isEmpty()) {
            return problem(Problems.notFound(), Map.of());
        }
        Job job = found.get();
        return switch (job.status()) {
            case QUEUED, RUNNING -> problem(Problems.resultNotReady(job.status()),
                    Map.of("Retry-After", retryAfterSeconds));
            case FAILED, CANCELED -> problem(Problems.noResult(job.status()), Map.of());
            case SUCCEEDED -> {
                Payload result = job.result().orElseThrow();
                String tag = EntityTags.result(job);
                Optional<AcceptedResponse> notModified = notModified(request, tag, new LinkedHashMap<>());
                if (notModified.isPresent()) {
                    yield notModified.get();
                }
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("ETag", tag);
                headers.put("Content-Type", result.mediaType());
                headers.put("Cache-Control", "no-store");
                headers.put("X-Content-Type-Options", "nosniff");
                yield new AcceptedResponse(200, headers, bodyFor(request, result.bytes()));
            }
        };
    }

    private AcceptedResponse cancel(ProtocolRequest request, String idText) {
        Optional<JobId> id = JobId.parse(idText);
        if (id.isEmpty()) {
            return problem(Problems.notFound(), Map.of());
        }
        CancelResult outcome;
        try {
            outcome = accepted.cancel(id.get(), request.owner());
        } catch (JobNotFoundException e) {
            return problem(Problems.notFound(), Map.of());
        }
        Urls urls = Urls.of(request, jobsPath);
        Map<String, String> headers = new LinkedHashMap<>();
        return switch (outcome.outcome()) {
            case CANCELED -> monitorResponse(200, headers, outcome.job(), urls);
            case REQUESTED -> {
                headers.put("Location", urls.status(outcome.job().id()));
                headers.put("Retry-After", retryAfterSeconds);
                yield monitorResponse(202, headers, outcome.job(), urls);
            }
            case REMOVED -> new AcceptedResponse(204, Map.of("Cache-Control", "no-store"), new byte[0]);
        };
    }

    private AcceptedResponse list(ProtocolRequest request) {
        if (request.owner().isEmpty()) {
            return problem(Problems.listRequiresOwner(), Map.of());
        }
        ListParameters parameters;
        try {
            parameters = ListParameters.parse(request.query());
        } catch (IllegalArgumentException e) {
            return problem(Problems.invalidRequest(e.getMessage()), Map.of());
        }
        Page page = accepted.list(request.owner(), parameters.statuses(), parameters.after(), parameters.limit());
        Urls urls = Urls.of(request, jobsPath);
        Optional<String> next = page.next().map(cursor -> urls.collection() + "?" + parameters.nextQuery(cursor));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", JSON);
        headers.put("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        next.ifPresent(url -> headers.put("Link", "<" + url + ">; rel=\"next\""));
        return new AcceptedResponse(200, headers, bodyFor(request, json.list(page.jobs(), urls, next)));
    }

    private AcceptedResponse monitorResponse(int status, Map<String, String> headers, Job job, Urls urls) {
        headers.put("ETag", EntityTags.monitor(job));
        headers.put("Content-Type", JSON);
        headers.put("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        return new AcceptedResponse(status, headers, json.monitor(job, urls.status(job.id()), urls.result(job.id())));
    }

    private AcceptedResponse notAllowed(ProtocolRequest request, String allow) {
        if (request.method().equals("OPTIONS")) {
            return new AcceptedResponse(204, Map.of("Allow", allow + ", OPTIONS"), new byte[0]);
        }
        return problem(Problems.methodNotAllowed(request.method(), allow + ", OPTIONS"),
                Map.of("Allow", allow + ", OPTIONS"));
    }

    private AcceptedResponse problem(Problem problem, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.put("Content-Type", PROBLEM_JSON);
        headers.put("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        return new AcceptedResponse(problem.status(), headers, json.problem(problem, Optional.empty()));
    }

    private static byte[] bodyFor(ProtocolRequest request, byte[] body) {
        return request.method().equals("HEAD") ? new byte[0] : body;
    }

    /** Whole seconds, rounded up, at least 1: the form of {@code Retry-After}. */
    static String seconds(Duration duration) {
        long seconds = duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
        return Long.toString(Math.max(1, seconds));
    }

    /**
     * Configures a {@link ProtocolEngine}. Each setting may be given once; defaults are the
     * constants of {@link ProtocolEngine}. Not thread-safe.
     */
    public static final class Builder {

        private final Accepted accepted;
        private final Map<String, Map<String, String>> routes = new TreeMap<>();
        private String jobsPath;
        private Integer maxBodyBytes;
        private Integer maxInlineResultBytes;
        private Duration retryAfter;
        private Boolean resultRedirect;

        private Builder(Accepted accepted) {
            this.accepted = Objects.requireNonNull(accepted, "accepted");
        }

        /**
         * Maps a submit endpoint to a job type: {@code method path} takes the job's JSON input
         * and answers {@code 202 Accepted}.
         *
         * @param method such as {@code POST} or {@code PUT}
         * @param path   the exact path inside the application, such as {@code /api/reports}
         * @param type   a registered job type
         * @throws IllegalArgumentException if the type has no handler, the path is not absolute
         *                                  or lies under the jobs path
         * @throws IllegalStateException    if {@code method path} is mapped already
         */
        public Builder route(String method, String path, String type) {
            Objects.requireNonNull(method, "method");
            checkPath(path, "path");
            if (!accepted.jobTypes().contains(Objects.requireNonNull(type, "type"))) {
                throw new IllegalArgumentException("no handler is registered for job type " + type);
            }
            String upper = method.toUpperCase(Locale.ROOT);
            if (!upper.matches("[A-Z]+") || upper.equals("GET") || upper.equals("HEAD") || upper.equals("OPTIONS")) {
                throw new IllegalArgumentException("a submit route takes a body: use POST, PUT or PATCH, not " + method);
            }
            if (routes.computeIfAbsent(path, p -> new TreeMap<>()).putIfAbsent(upper, type) != null) {
                throw new IllegalStateException(upper + " " + path + " is mapped already");
            }
            return this;
        }

        /** Where the monitor endpoints live. Default: {@value ProtocolEngine#DEFAULT_JOBS_PATH}. */
        public Builder jobsPath(String value) {
            once(jobsPath, "jobsPath");
            checkPath(value, "jobsPath");
            if (value.length() < 2 || value.endsWith("/")) {
                throw new IllegalArgumentException("jobsPath must be like /jobs, without a trailing slash");
            }
            jobsPath = value;
            return this;
        }

        /** The largest accepted request body. Default: {@value ProtocolEngine#DEFAULT_MAX_BODY_BYTES} bytes. */
        public Builder maxBodyBytes(int value) {
            once(maxBodyBytes, "maxBodyBytes");
            if (value < 2 || value > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxBodyBytes must be between 2 and 2^31 - 10");
            }
            maxBodyBytes = value;
            return this;
        }

        /**
         * The largest JSON result shown inline in the status monitor; larger ones are served
         * only at {@code /jobs/{id}/result}. Default: {@value ProtocolEngine#DEFAULT_MAX_INLINE_RESULT_BYTES}.
         */
        public Builder maxInlineResultBytes(int value) {
            once(maxInlineResultBytes, "maxInlineResultBytes");
            if (value < 0) {
                throw new IllegalArgumentException("maxInlineResultBytes must not be negative");
            }
            maxInlineResultBytes = value;
            return this;
        }

        /** The {@code Retry-After} given for unfinished jobs (whole seconds, at least 1). Default: 1 s. */
        public Builder retryAfter(Duration value) {
            once(retryAfter, "retryAfter");
            Objects.requireNonNull(value, "retryAfter");
            if (value.isNegative()) {
                throw new IllegalArgumentException("retryAfter must not be negative");
            }
            retryAfter = value;
            return this;
        }

        /**
         * Whether {@code GET /jobs/{id}} of a succeeded job answers {@code 303 See Other} to
         * {@code /jobs/{id}/result} instead of {@code 200} with the result inline. Default: false.
         */
        public Builder resultRedirect(boolean value) {
            once(resultRedirect, "resultRedirect");
            resultRedirect = value;
            return this;
        }

        /**
         * Builds the engine.
         *
         * @throws IllegalStateException if a route lies under the jobs path
         */
        public ProtocolEngine build() {
            String jobs = jobsPath != null ? jobsPath : DEFAULT_JOBS_PATH;
            for (String path : routes.keySet()) {
                if (path.equals(jobs) || path.startsWith(jobs + "/")) {
                    throw new IllegalStateException("route " + path + " lies under the jobs path " + jobs);
                }
            }
            return new ProtocolEngine(this);
        }

        private static void checkPath(String path, String name) {
            Objects.requireNonNull(path, name);
            if (!path.startsWith("/") || path.contains("//") || path.contains("?") || path.contains("#")
                    || path.contains("*") || path.contains(" ")) {
                throw new IllegalArgumentException(name + " must be an absolute path like /api/reports: " + path);
            }
        }

        private static void once(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " is set already");
            }
        }
    }
}
