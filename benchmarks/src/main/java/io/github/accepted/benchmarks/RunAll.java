package io.github.accepted.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs every benchmark and rewrites {@code docs/benchmarks.md}: {@code bash benchmarks/run.sh}
 * (installs {@code wrk} if missing, then {@code mvn -q -pl benchmarks -am compile exec:exec}).
 * Takes about fifteen minutes on 2 cores.
 */
public final class RunAll {

    static final String COMMAND = "bash benchmarks/run.sh";

    private RunAll() {}

    /**
     * {@code RunAll [file [section...]]}: with sections named ({@code http}, {@code core}, {@code postgres}), only
     * those are measured and replaced in the file, which keeps the others as they are.
     */
    public static void main(String[] args) throws Exception {
        Path target = Path.of(args.length > 0 ? args[0] : "docs/benchmarks.md");
        List<String> only = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
        if (!only.isEmpty()) {
            replaceSections(target, only);
            return;
        }
        Options jmh = new OptionsBuilder()
                .include(EngineBenchmarks.class.getSimpleName())
                .include(StatusLookupBenchmarks.class.getSimpleName())
                .build();
        Collection<RunResult> results = new Runner(jmh).run();
        long acceptedBytes = RetainedMemory.acceptedBytesPerJob();
        long handRolledBytes = RetainedMemory.handRolledBytesPerJob();
        WaitingClients.Result waiting = WaitingClients.measure(10_000);
        List<PostgresEndToEnd.Suite> postgres =
                PostgresEndToEnd.measureAll(10_000, List.of(PostgresEndToEnd.Durability.values()), List.of());
        HttpBenchmarks.Report http = HttpBenchmarks.wrkAvailable() ? HttpBenchmarks.run() : null;

        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<String> md = new ArrayList<>();
        md.add("# Benchmarks");
        md.add("");
        md.add("Measured " + LocalDate.now(ZoneOffset.UTC) + " on " + os.getAvailableProcessors() + " cores, "
                + (os.getTotalMemorySize() >> 30) + " GiB, " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version") + ", by `" + COMMAND + "` (which rewrites this file). The "
                + "machine is shared and noisy: read ratios, not absolutes, and the error columns.");
        md.add("");
        http(md, http);
        md.add("");
        core(md, results);
        md.add("");
        md.add("## Memory per retained finished job");
        md.add("");
        md.add("Heap in use after full collections, before and after filling " + RetainedMemory.JOBS
                + " finished jobs with a small JSON result (`{\"ok\":true}`):");
        md.add("");
        md.add("| store | bytes per job |");
        md.add("|---|---|");
        md.add("| Accepted in-memory store (job record, input, result, owner index) | " + acceptedBytes + " |");
        md.add("| hand-rolled `ConcurrentHashMap` of `(id, status, result, createdAt)` records, as in the seed | "
                + handRolledBytes + " |");
        md.add("");
        md.add("Target: at most 512 bytes per job. Unlike the hand-rolled map, Accepted's records expire "
                + "(24 h by default) and their number is capped.");
        md.add("");
        md.add("## Waiting clients");
        md.add("");
        md.add("10,000 clients long-polling (`Prefer: wait`) one running job on embedded Jetty 12, sent from a "
                + "separate JVM; the server JVM measured while all of them wait:");
        md.add("");
        md.add("| | idle | 10,000 waiting |");
        md.add("|---|---|---|");
        md.add("| threads in the server JVM | " + waiting.idleThreads() + " | " + waiting.waitingThreads() + " |");
        md.add("| heap in use after GC (MiB) | " + waiting.idleHeapMiB() + " | " + waiting.waitingHeapMiB() + " |");
        md.add("");
        md.add("When the job finished, the clients got: `" + waiting.clientOutcome() + "` (status=count). "
                + "The threads that appear are Jetty's pool growing towards its maximum (200) while 10,000 "
                + "connections arrive at once; they are not held by the waits — ten thousand waits could not fit in "
                + "200 threads. `WaitingClientsTest` asserts the same on Jetty and Tomcat in every build (all "
                + "10,000 waiting at once, threads under 400).");
        md.add("");
        md.addAll(PostgresEndToEnd.markdown(postgres, COMMAND));
        md.add("");
        Files.write(target, md);
        System.out.println("wrote " + target.toAbsolutePath());
    }

    private static void http(List<String> md, HttpBenchmarks.Report http) {
        md.add("## HTTP overhead (wrk)");
        md.add("");
        Map<String, HttpBenchmarks.Result> httpResults = http == null ? Map.of() : http.results();
        if (httpResults.isEmpty()) {
            md.add("Not measured: `wrk` is not installed (`benchmarks/run.sh` installs it).");
        } else {
            md.add("One embedded Jetty 12 serving three variants side by side; `" + HttpBenchmarks.WRK
                    + "` on loopback "
                    + "(client and server share the 2 cores), a 5 s warm-up of each, then " + HttpBenchmarks.ROUNDS
                    + " interleaved rounds (every other one in reverse order); medians of the rounds.");
            md.add("");
            md.add("| variant | requests/s | p99 (ms) | rounds (requests/s) |");
            md.add("|---|---|---|---|");
            for (HttpBenchmarks.Result r : httpResults.values()) {
                md.add(String.format(
                        Locale.ROOT,
                        "| %s | %,.0f | %.2f | %s |",
                        r.name(),
                        r.medianRps(),
                        r.medianP99(),
                        r.requestsPerSecond().stream()
                                .map(v -> String.format(Locale.ROOT, "%,.0f", v))
                                .toList()));
            }
            md.add("");
            md.add("Ratios are medians of the rounds' ratios (the two variants compared ran back to back in each "
                    + "round, in alternating order), which follow the machine's moment better than the ratio of "
                    + "the two medians, given in brackets.");
            md.add("");
            md.add(ratioLine(
                    httpResults,
                    "Accepted submit",
                    "Accepted submit (202)",
                    "hand-rolled submit (202)",
                    "the hand-rolled submit",
                    "at least 0.9x",
                    r -> r >= 0.9));
            md.add(ratioLine(
                    httpResults,
                    "Accepted poll",
                    "Accepted poll (200)",
                    "hand-rolled poll (200)",
                    "the hand-rolled poll",
                    "at least 0.95x",
                    r -> r >= 0.95));
            md.add(ratioLine(
                    httpResults,
                    "Accepted conditional poll (304)",
                    "Accepted conditional poll (304)",
                    "Accepted poll (200)",
                    "its plain poll",
                    "faster",
                    r -> r > 1));
            md.add("");
            md.add("Accepted does more per request than the hand-rolled servlet: strict input parsing, owner checks, "
                    + "ETags, absolute URLs, problem bodies, bounded storage that expires.");
            httpProfile(md, http.profiles());
        }
    }

    /** One target's line: the median of the paired round ratios, the ratio of medians beside it, the verdict. */
    private static String ratioLine(
            Map<String, HttpBenchmarks.Result> results,
            String label,
            String ours,
            String theirs,
            String against,
            String goal,
            java.util.function.DoublePredicate met) {
        double paired = HttpBenchmarks.pairedRatio(results, ours, theirs);
        double ofMedians = results.get(ours).medianRps() / results.get(theirs).medianRps();
        return String.format(
                Locale.ROOT,
                "- %s: **%.2fx** %s [%.2fx] (target: %s: %s).",
                label,
                paired,
                against,
                ofMedians,
                goal,
                verdict(met.test(paired)));
    }

    private static void core(List<String> md, Collection<RunResult> results) {
        double small = score(results, "poll", "1000");
        double large = score(results, "poll", "1000000");
        md.add("## Core (JMH, no HTTP)");
        md.add("");
        md.add("| benchmark | result | error (99.9 %) |");
        md.add("|---|---|---|");
        md.add(row(
                results,
                "submitAndComplete",
                null,
                "no-op jobs, submit to succeeded, in-memory store, 2 workers",
                "jobs/s"));
        md.add(row(
                results,
                "poll",
                "1000",
                "`GET /jobs/{id}` through the protocol engine, 1,000 jobs retained",
                "answers/s"));
        md.add(row(
                results,
                "poll",
                "1000000",
                "`GET /jobs/{id}` through the protocol engine, 1,000,000 jobs retained",
                "answers/s"));
        md.add("");
        md.add(String.format(
                Locale.ROOT,
                "Status lookups with 1,000,000 retained jobs run at **%.2fx** the speed with "
                        + "1,000 (target: at least 0.9x: " + verdict(large / small >= 0.9)
                        + "). Both poll the %,d most recently finished jobs in a fixed shuffled "
                        + "order (clients poll the jobs they just submitted), so the two differ only in how many other jobs "
                        + "the store holds. JMH: %d forks of %d measured iterations of %d s each (after %d of warm-up); where "
                        + "the error is larger than the difference, the runs cannot tell the two apart.",
                large / small,
                StatusLookupBenchmarks.POLLED,
                StatusLookupBenchmarks.FORKS,
                StatusLookupBenchmarks.ITERATIONS,
                StatusLookupBenchmarks.SECONDS,
                StatusLookupBenchmarks.WARMUPS));
    }

    /** Measures the named sections only and puts them in place of their namesakes in {@code target}. */
    private static void replaceSections(Path target, List<String> sections) throws Exception {
        Map<String, List<String>> fresh = new LinkedHashMap<>();
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        if (sections.contains("core")) {
            Options jmh = new OptionsBuilder()
                    .include(EngineBenchmarks.class.getSimpleName())
                    .include(StatusLookupBenchmarks.class.getSimpleName())
                    .build();
            List<String> md = new ArrayList<>();
            core(md, new Runner(jmh).run());
            fresh.put("## Core (JMH, no HTTP)", md);
        }
        if (sections.contains("http")) {
            List<String> md = new ArrayList<>();
            http(md, HttpBenchmarks.wrkAvailable() ? HttpBenchmarks.run() : null);
            fresh.put("## HTTP overhead (wrk)", md);
        }
        if (sections.contains("postgres")) {
            // -Daccepted.pg.jobs (default 10,000, as in the full run) sizes each run
            int jobs = Integer.getInteger("accepted.pg.jobs", 10_000);
            String command = "java … RunAll docs/benchmarks.md postgres` with `-Daccepted.pg.jobs=" + jobs;
            fresh.put(
                    "## PostgreSQL end to end",
                    PostgresEndToEnd.markdown(
                            PostgresEndToEnd.measureAll(jobs, List.of(PostgresEndToEnd.Durability.values()), List.of()),
                            command));
        }
        String stamp = "Measured " + LocalDate.now(ZoneOffset.UTC) + " by `java … RunAll docs/benchmarks.md "
                + String.join(" ", sections) + "` (this section only); load average before the run: " + load + ".";
        List<String> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(target);
        for (int i = 0; i < lines.size(); i++) {
            List<String> replacement = fresh.get(lines.get(i));
            if (replacement == null) {
                out.add(lines.get(i));
                continue;
            }
            out.add(replacement.get(0));
            out.add("");
            out.add(stamp);
            out.addAll(replacement.subList(1, replacement.size()));
            out.add("");
            int j = i + 1;
            while (j < lines.size() && !lines.get(j).startsWith("## ")) {
                j++;
            }
            i = j - 1;
        }
        Files.write(target, out);
        System.out.println("wrote " + target.toAbsolutePath() + ": " + fresh.keySet());
    }

    private static void httpProfile(List<String> md, List<HttpBenchmarks.Profiled> profiles) {
        md.add("");
        md.add("### Where the time goes");
        md.add("");
        md.add("Each submit and poll variant run once more (5 s, same load) under Java Flight Recorder (a sample "
                + "every 1 ms): the server JVM's CPU time per request, and the share of the request threads' CPU "
                + "samples (Jetty's `qtp` pool) whose stack passes through each method. Shares nest (the servlet's "
                + "share includes the rest); `HttpOutput.write` is Jetty writing the body to the socket, in both.");
        md.add("");
        List<String> variants = new ArrayList<>();
        List<CpuProfile.Shares> shares = new ArrayList<>();
        List<String> cpu = new ArrayList<>();
        List<String> samples = new ArrayList<>();
        for (HttpBenchmarks.Profiled p : profiles) {
            variants.add(p.name());
            shares.add(p.shares());
            cpu.add(String.format(Locale.ROOT, "%.0f", p.cpuMicrosPerRequest()));
            samples.add(String.valueOf(p.shares().samples()));
        }
        Map<String, List<String>> leading = new LinkedHashMap<>();
        leading.put("JVM CPU per request (µs)", cpu);
        leading.put("request-thread samples", samples);
        shareTable(md, variants, leading, shares, HttpBenchmarks.PROFILED);
        md.add("");
        md.add("The rest of each request thread's samples are Jetty's own: parsing the request, writing the "
                + "response, the connection. A JVM CPU figure includes the handlers running the submitted no-op jobs.");
    }

    /**
     * A column per profile: the {@code leading} rows as given, then each method's share of the
     * samples (blank where a profile did not see it; rows no profile saw are left out).
     */
    private static void shareTable(
            List<String> md,
            List<String> columns,
            Map<String, List<String>> leading,
            List<CpuProfile.Shares> profiles,
            List<String> methods) {
        md.add("| | " + String.join(" | ", columns) + " |");
        md.add("|---|" + "---|".repeat(columns.size()));
        leading.forEach((name, cells) -> md.add("| " + name + " | " + String.join(" | ", cells) + " |"));
        for (String method : methods) {
            List<String> cells = new ArrayList<>();
            boolean seen = false;
            for (CpuProfile.Shares profile : profiles) {
                double share = profile.percentByMethod().getOrDefault(method, 0.0);
                seen |= share > 0;
                cells.add(share > 0 ? String.format(Locale.ROOT, "%.0f %%", share) : "");
            }
            if (seen) {
                md.add("| `" + method + "` | " + String.join(" | ", cells) + " |");
            }
        }
    }

    private static String verdict(boolean met) {
        return met ? "**met**" : "**missed**";
    }

    private static double score(Collection<RunResult> results, String method, String retained) {
        return find(results, method, retained).getPrimaryResult().getScore();
    }

    private static RunResult find(Collection<RunResult> results, String method, String retained) {
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            if (label.endsWith("." + method)
                    && (retained == null || retained.equals(result.getParams().getParam("retained")))) {
                return result;
            }
        }
        throw new IllegalStateException("no result for " + method + " " + retained);
    }

    private static String row(Collection<RunResult> results, String method, String retained, String what, String unit) {
        RunResult result = find(results, method, retained);
        return String.format(
                Locale.ROOT,
                "| %s | %,.0f %s | ± %,.0f |",
                what,
                result.getPrimaryResult().getScore(),
                unit,
                result.getPrimaryResult().getScoreError());
    }
}
