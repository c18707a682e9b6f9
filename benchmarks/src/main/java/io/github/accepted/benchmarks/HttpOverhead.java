package io.github.accepted.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP overhead measurement alone (the wrk rounds and profiles of {@link HttpBenchmarks}),
 * printed with the ratios to their targets and the load average before and after:
 * {@code java -cp ... io.github.accepted.benchmarks.HttpOverhead}.
 */
public final class HttpOverhead {

    private HttpOverhead() {}

    public static void main(String[] args) throws Exception {
        String before = load();
        HttpBenchmarks.Report report = HttpBenchmarks.run();
        String after = load();
        Map<String, HttpBenchmarks.Result> r = report.results();
        for (HttpBenchmarks.Result result : r.values()) {
            System.out.printf(
                    Locale.ROOT,
                    "%-36s %,8.0f req/s  p99 %6.2f ms  %s%n",
                    result.name(),
                    result.medianRps(),
                    result.medianP99(),
                    result.requestsPerSecond());
        }
        System.out.printf(
                Locale.ROOT,
                "ratio of medians: submit %.2fx  poll %.2fx  304/poll %.2fx%n",
                r.get("Accepted submit (202)").medianRps()
                        / r.get("hand-rolled submit (202)").medianRps(),
                r.get("Accepted poll (200)").medianRps()
                        / r.get("hand-rolled poll (200)").medianRps(),
                r.get("Accepted conditional poll (304)").medianRps()
                        / r.get("Accepted poll (200)").medianRps());
        System.out.printf(
                Locale.ROOT,
                "median of round ratios: submit %.2fx  poll %.2fx  304/poll %.2fx  load before [%s] after [%s]%n",
                HttpBenchmarks.pairedRatio(r, "Accepted submit (202)", "hand-rolled submit (202)"),
                HttpBenchmarks.pairedRatio(r, "Accepted poll (200)", "hand-rolled poll (200)"),
                HttpBenchmarks.pairedRatio(r, "Accepted conditional poll (304)", "Accepted poll (200)"),
                before,
                after);
        for (HttpBenchmarks.Profiled p : report.profiles()) {
            System.out.printf(
                    Locale.ROOT,
                    "profile %s: %.0f us CPU/request, %d samples %s%n",
                    p.name(),
                    p.cpuMicrosPerRequest(),
                    p.shares().samples(),
                    p.shares().percentByMethod());
        }
    }

    private static String load() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
