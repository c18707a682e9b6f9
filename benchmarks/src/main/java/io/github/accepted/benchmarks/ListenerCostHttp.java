package io.github.accepted.benchmarks;

import io.github.accepted.Accepted;
import io.github.accepted.micrometer.AcceptedMetrics;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.servlet.AcceptedInitializer;
import io.github.accepted.spi.JobExecutor;
import io.github.accepted.spi.JobStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The cost of a registered Micrometer listener over HTTP: one embedded Jetty with two engines,
 * {@code /plain} without a listener and {@code /metered} with {@link AcceptedMetrics}, loaded by
 * {@code wrk -t2 -c32 -d5s} on loopback: submits ({@code POST}, no-op jobs that then run on two
 * workers) and polls of a finished job, in interleaved rounds after a warm-up; medians.
 *
 * <pre>
 * java -cp benchmarks-classpath io.github.accepted.benchmarks.ListenerCostHttp [rounds]
 * </pre>
 */
public final class ListenerCostHttp {

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

    private ListenerCostHttp() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Accepted plain = engine(false);
        Accepted metered = engine(true);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Sequence(context("/plain", plain), context("/metered", metered)));
        server.start();
        Path post = Files.createTempFile("accepted-post", ".lua");
        try {
            Files.writeString(post, """
                    wrk.method = "POST"
                    wrk.body = '{"n":1}'
                    wrk.headers["Content-Type"] = "application/json"
                    """);
            String base = "http://127.0.0.1:" + connector.getLocalPort();
            Map<String, List<String>> commands = new LinkedHashMap<>();
            commands.put("submit, no listener", List.of("-s", post.toString(), base + "/plain/api/noop"));
            commands.put("submit, Micrometer listener", List.of("-s", post.toString(), base + "/metered/api/noop"));
            commands.put("poll, no listener", List.of(base + finishedJob(base + "/plain")));
            commands.put("poll, Micrometer listener", List.of(base + finishedJob(base + "/metered")));
            for (List<String> command : commands.values()) {
                wrk("-d3s", command);
            }
            Map<String, List<Double>> results = new LinkedHashMap<>();
            commands.keySet().forEach(name -> results.put(name, new ArrayList<>()));
            for (int round = 1; round <= rounds; round++) {
                List<String> order = new ArrayList<>(commands.keySet());
                if (round % 2 == 0) {
                    // the Micrometer run goes first in even rounds: neither always follows the other
                    java.util.Collections.swap(order, 0, 1);
                    java.util.Collections.swap(order, 2, 3);
                }
                for (String name : order) {
                    results.get(name).add(wrk("-d5s", commands.get(name)));
                }
                System.out.printf(Locale.ROOT, "round %d: %s%n", round, results);
            }
            for (String path : List.of("submit", "poll")) {
                List<Double> plainRounds = results.get(path + ", no listener");
                List<Double> meteredRounds = results.get(path + ", Micrometer listener");
                List<Double> ratios = new ArrayList<>();
                for (int i = 0; i < plainRounds.size(); i++) {
                    ratios.add(meteredRounds.get(i) / plainRounds.get(i));
                }
                double without = median(plainRounds);
                double with = median(meteredRounds);
                System.out.printf(
                        Locale.ROOT,
                        "wrk %s median: no listener %.0f requests/s, Micrometer listener "
                                + "%.0f requests/s; cost %.1f %%, median of the round ratios %.1f %% (rounds: %s vs %s)%n",
                        path,
                        without,
                        with,
                        100 * (1 - with / without),
                        100 * (1 - median(ratios)),
                        rounded(plainRounds),
                        rounded(meteredRounds));
            }
        } finally {
            Files.deleteIfExists(post);
            plain.close();
            metered.close();
            server.stop();
        }
    }

    private static Accepted engine(boolean withListener) {
        Accepted.Builder builder = Accepted.builder()
                .store(JobStore.inMemory(100_000, 3_000_000))
                .executor(JobExecutor.fixedThreadPool(2))
                .handler("noop", EngineBenchmarks.Noop.class, (input, context) -> input.n());
        if (withListener) {
            builder.listener(AcceptedMetrics.of(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
        }
        return builder.build();
    }

    private static ServletContextHandler context(String path, Accepted accepted) {
        ServletContextHandler context = new ServletContextHandler(path);
        context.addServletContainerInitializer(new AcceptedInitializer(ProtocolEngine.builder(accepted)
                .route("POST", "/api/noop", "noop")
                .build()));
        return context;
    }

    /** Submits a job with {@code Prefer: wait} and returns its monitor's path, once it has finished. */
    private static String finishedJob(String base) throws Exception {
        HttpResponse<String> reply = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/api/noop"))
                                .header("Content-Type", "application/json")
                                .header("Prefer", "wait=5")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return URI.create(reply.headers().firstValue("Location").orElseThrow()).getPath();
    }

    /** Runs wrk; returns requests per second. */
    private static double wrk(String duration, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c32", duration));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            reader.lines().forEach(line -> out.append(line).append('\n'));
        }
        process.waitFor();
        Matcher rps = RPS.matcher(out);
        if (!rps.find() || out.indexOf("Non-2xx or 3xx responses") >= 0) {
            throw new IllegalStateException("unexpected wrk output:\n" + out);
        }
        return Double.parseDouble(rps.group(1));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static String rounded(List<Double> values) {
        return values.stream()
                .map(v -> String.format(Locale.ROOT, "%.0f", v))
                .toList()
                .toString();
    }
}
