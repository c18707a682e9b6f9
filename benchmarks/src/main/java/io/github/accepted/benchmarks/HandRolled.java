package io.github.accepted.benchmarks;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The baseline a team writes by hand, as in the seed: a map of jobs and a fixed executor;
 * {@code POST} answers 202 with a Location, {@code GET} answers the job's status. Jobs are never
 * freed (the seed does not), and there are no owners, bounds, ETags or problems.
 */
final class HandRolled extends HttpServlet {

    record HandRolledJob(String id, String status, String result) {}

    private final Map<String, HandRolledJob> jobs = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        request.getInputStream().readAllBytes();
        String id = UUID.randomUUID().toString();
        jobs.put(id, new HandRolledJob(id, "queued", null));
        executor.execute(() -> jobs.put(id, new HandRolledJob(id, "done", "{\"ok\":true}")));
        String location = request.getRequestURL() + "/" + id;
        response.setStatus(202);
        response.setHeader("Location", location);
        write(response, "{\"jobId\":\"" + id + "\",\"statusUrl\":\"" + location + "\"}");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        HandRolledJob job = path == null ? null : jobs.get(path.substring(path.lastIndexOf('/') + 1));
        if (job == null) {
            response.setStatus(404);
            return;
        }
        write(response, "{\"status\":\"" + job.status() + "\",\"result\":" + job.result() + "}");
    }

    /** Submits one job directly, for a poll target; returns its id. */
    String seed() {
        String id = UUID.randomUUID().toString();
        jobs.put(id, new HandRolledJob(id, "done", "{\"ok\":true}"));
        return id;
    }

    private static void write(HttpServletResponse response, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
