package io.github.accepted.benchmarks;

import io.github.accepted.Accepted;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.servlet.AcceptedInitializer;
import io.github.accepted.spi.JobExecutor;
import io.github.accepted.spi.JobStore;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One embedded Jetty with three variants side by side — a bare servlet, the hand-rolled pattern,
 * Accepted on its in-memory store — loaded by {@code wrk} on loopback in interleaved rounds after
 * a warm-up: requests per second and p99 latency.
 */
final class HttpBenchmarks {

    /** One variant's results over the rounds. */
    record Result(String name, List<Double> requestsPerSecond, List<Double> p99Millis) {
        double medianRps() {
            return median(requestsPerSecond);
        }

        double medianP99() {
            return median(p99Millis);
        }
    }

    static final int ROUNDS = 7;
    static final String WRK = "wrk -t2 -c32 -d5s --latency";

    private HttpBenchmarks() {}

    static boolean wrkAvailable() {
        try {
            return new ProcessBuilder("wrk", "--version")
                            .redirectErrorStream(true)
                            .start()
                            .waitFor()
                    <= 1;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Methods whose share of the request threads' CPU samples the profile reports. */
    static final List<String> PROFILED = List.of(
            "AcceptedServlet.service",
            "HandRolled.doGet",
            "HandRolled.doPost",
            "AcceptedServlet.translate",
            "AcceptedServlet.arrivedBody",
            "ServletBody$Reading.step",
            "Forwarding.base",
            "CallbackHeaders.read",
            "HandlerRegistration.readAndValidate",
            "Dispatcher.submit",
            "JobId.random",
            "Accepted.find",
            "Replies.notModified",
            "Json.writeMonitor",
            "AcceptedServlet.write",
            "ServletApiResponse.setHeader",
            "HttpOutput.write");

    /** One variant run once more under JFR: JVM CPU per request, and where the request threads spent it. */
    record Profiled(String name, double cpuMicrosPerRequest, CpuProfile.Shares shares) {}

    /** The measured rounds, and a profile of each submit and poll variant after them. */
    record Report(Map<String, Result> results, List<Profiled> profiles) {}

    static Report run() throws Exception {
        Accepted accepted = Accepted.builder()
                .store(JobStore.inMemory(100_000, 3_000_000))
                .executor(JobExecutor.fixedThreadPool(2))
                .handler("noop", EngineBenchmarks.Noop.class, (input, context) -> input.n())
                .build();
        ProtocolEngine http = ProtocolEngine.builder(accepted)
                .route("POST", "/api/noop", "noop")
                .build();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        HandRolled handRolled = new HandRolled();
        context.addServlet(new ServletHolder(new Bare()), "/bare");
        context.addServlet(new ServletHolder(handRolled), "/hand/jobs/*");
        context.addServletContainerInitializer(new AcceptedInitializer(http));
        server.setHandler(context);
        server.start();
        Path scripts = Files.createTempDirectory("accepted-wrk");
        try {
            String base = "http://127.0.0.1:" + connector.getLocalPort();
            Path post = scripts.resolve("post.lua");
            Files.writeString(post, """
                    wrk.method = "POST"
                    wrk.body = '{"n":1}'
                    wrk.headers["Content-Type"] = "application/json"
                    """);
            // a finished Accepted job to poll, and its ETag
            String acceptedJob = pollTarget(base);
            String etag = etagOf(base + "/jobs/" + acceptedJob);
            Path conditional = scripts.resolve("conditional.lua");
            Files.writeString(conditional, "wrk.headers[\"If-None-Match\"] = '" + etag + "'\n");
            String handJob = handRolled.seed();

            Map<String, List<String>> commands = new LinkedHashMap<>();
            commands.put("bare servlet, GET small JSON (200)", List.of(base + "/bare"));
            commands.put("hand-rolled submit (202)", List.of("-s", post.toString(), base + "/hand/jobs"));
            commands.put("Accepted submit (202)", List.of("-s", post.toString(), base + "/api/noop"));
            commands.put("hand-rolled poll (200)", List.of(base + "/hand/jobs/" + handJob));
            commands.put("Accepted poll (200)", List.of(base + "/jobs/" + acceptedJob));
            commands.put(
                    "Accepted conditional poll (304)",
                    List.of("-s", conditional.toString(), base + "/jobs/" + acceptedJob));
            for (List<String> args : commands.values()) {
                wrk("-t2", "-c32", "-d5s", args); // warm-up
            }
            Map<String, Result> results = new LinkedHashMap<>();
            commands.keySet()
                    .forEach(name -> results.put(name, new Result(name, new ArrayList<>(), new ArrayList<>())));
            for (int round = 0; round < ROUNDS; round++) {
                // every other round runs the variants in reverse order, so that within each pair
                // compared (hand-rolled and Accepted, side by side) neither always runs first
                List<Map.Entry<String, List<String>>> order = new ArrayList<>(commands.entrySet());
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (Map.Entry<String, List<String>> command : order) {
                    double[] measured = wrk("-t2", "-c32", "-d5s", command.getValue());
                    results.get(command.getKey()).requestsPerSecond().add(measured[0]);
                    results.get(command.getKey()).p99Millis().add(measured[1]);
                }
            }
            List<Profiled> profiles = new ArrayList<>();
            for (String name : List.of(
                    "hand-rolled submit (202)",
                    "Accepted submit (202)",
                    "hand-rolled poll (200)",
                    "Accepted poll (200)",
                    "Accepted conditional poll (304)")) {
                double[][] measured = new double[1][];
                long cpuBefore = processCpuNanos();
                CpuProfile.Shares shares = CpuProfile.of("qtp", PROFILED, () -> {
                    measured[0] = wrk("-t2", "-c32", "-d5s", commands.get(name));
                    return null;
                });
                double requests = measured[0][0] * 5;
                profiles.add(new Profiled(name, (processCpuNanos() - cpuBefore) / 1e3 / requests, shares));
            }
            return new Report(results, profiles);
        } finally {
            accepted.close();
            server.stop();
        }
    }

    /** Submits a job and waits for it to finish (Prefer: wait): the poll target. */
    private static String pollTarget(String base) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> reply = client.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/noop"))
                        .header("Content-Type", "application/json")
                        .header("Prefer", "wait=5")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"n\":1}"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        String location = reply.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static String etagOf(String url) throws Exception {
        java.net.http.HttpResponse<String> reply = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        return reply.headers().firstValue("ETag").orElseThrow();
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("^\\s*99%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);

    /** Runs wrk; returns {requests per second, p99 in ms}. */
    private static double[] wrk(String threads, String connections, String duration, List<String> args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", threads, connections, duration, "--latency"));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            reader.lines().forEach(line -> out.append(line).append('\n'));
        }
        process.waitFor();
        Matcher rps = RPS.matcher(out);
        Matcher p99 = P99.matcher(out);
        if (!rps.find() || !p99.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + out);
        }
        double latency = Double.parseDouble(p99.group(1));
        double millis =
                switch (p99.group(2)) {
                    case "us" -> latency / 1000;
                    case "s" -> latency * 1000;
                    default -> latency;
                };
        if (out.indexOf("Non-2xx or 3xx responses") >= 0
                && !args.get(args.size() - 1).contains("/jobs/")) {
            throw new IllegalStateException("errors during the run:\n" + out);
        }
        return new double[] {Double.parseDouble(rps.group(1)), millis};
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * The median over the rounds of {@code a}'s requests per second divided by {@code b}'s in the
     * same round: the two ran back to back, so a round's ratio sees the machine's state of that
     * moment, which the ratio of the two medians does not.
     */
    static double pairedRatio(Map<String, Result> results, String a, String b) {
        List<Double> as = results.get(a).requestsPerSecond();
        List<Double> bs = results.get(b).requestsPerSecond();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(as.size(), bs.size()); i++) {
            ratios.add(as.get(i) / bs.get(i));
        }
        return median(ratios);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    /** The bare servlet: a small JSON 200. */
    static final class Bare extends HttpServlet {
        private static final byte[] BODY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("application/json");
            response.setContentLength(BODY.length);
            response.getOutputStream().write(BODY);
        }
    }
}
