package io.github.accepted.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The cost of a registered Micrometer listener on the submit/poll path, two ways:
 *
 * <ol>
 *   <li><b>JMH throughput</b> of {@link ListenerCostBenchmarks} without and with it, in interleaved
 *       forks (none, micrometer, none, micrometer, …) so that the machine's drift weighs on both
 *       alike; medians of the rounds.</li>
 *   <li><b>CPU time per job</b> of {@link SubmitPollWorkload} in this JVM: the process's CPU time
 *       (every thread: the caller, the workers, the engine's) over batches of jobs, interleaved
 *       engines without and with the listener after a warm-up of both; medians of the rounds.
 *       Other processes' load slows a run down but adds little to its own CPU time, which makes
 *       this the steadier measure on a shared machine.</li>
 *   <li>With {@code events}: {@link ListenerEventBenchmarks}, the listener's own work per job,
 *       without the engine.</li>
 *   <li>With {@code inline}: the same two measures with every job run on the submitting thread
 *       ({@link ListenerCostInlineBenchmarks}): JMH average time per job in interleaved forks, and
 *       the submitting thread's own CPU time per job (the whole path is on it) in interleaved
 *       rounds, reported as the median of each round pair's ratio. Without the hand-offs to
 *       workers and their scheduling, these resolve a few per cent on a shared machine.</li>
 * </ol>
 *
 * <pre>
 * java -cp benchmarks-classpath io.github.accepted.benchmarks.ListenerCost [jmhRounds] [cpuRounds]
 * java -cp benchmarks-classpath io.github.accepted.benchmarks.ListenerCost 0 0 events
 * java -cp benchmarks-classpath io.github.accepted.benchmarks.ListenerCost [jmhRounds] [cpuRounds] inline
 * </pre>
 */
public final class ListenerCost {

    private static final int JOBS_PER_CPU_ROUND = 50_000;
    private static final int JOBS_PER_INLINE_ROUND = 10_000;

    private ListenerCost() {}

    public static void main(String[] args) throws RunnerException {
        int jmhRounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int cpuRounds = args.length > 1 ? Integer.parseInt(args[1]) : 21;
        if (args.length > 2 && args[2].equals("events")) {
            events();
            return;
        }
        if (args.length > 2 && args[2].equals("inline")) {
            inlineCpuTime(cpuRounds);
            if (jmhRounds > 0) {
                inlineJmh(jmhRounds);
            }
            return;
        }
        cpuTime(cpuRounds);
        if (jmhRounds > 0) {
            jmh(jmhRounds);
        }
    }

    /** {@link ListenerEventBenchmarks}: the listener's own work per job. */
    private static void events() throws RunnerException {
        Options options = new OptionsBuilder()
                .include(ListenerEventBenchmarks.class.getName())
                .jvmArgsPrepend("-Djmh.ignoreLock=true")
                .build();
        RunResult result = new Runner(options).runSingle();
        System.out.printf(
                Locale.ROOT,
                "listener alone: %.0f ns per job (3 events) ± %.0f%n",
                result.getPrimaryResult().getScore(),
                result.getPrimaryResult().getScoreError());
    }

    private static void jmh(int rounds) throws RunnerException {
        List<Double> none = new ArrayList<>();
        List<Double> micrometer = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            none.add(score("none"));
            micrometer.add(score("micrometer"));
            System.out.printf(
                    Locale.ROOT,
                    "jmh round %d: none %.0f jobs/s, micrometer %.0f jobs/s%n",
                    round,
                    none.get(round - 1),
                    micrometer.get(round - 1));
        }
        double without = median(none);
        double with = median(micrometer);
        System.out.printf(
                Locale.ROOT,
                "jmh median: none %.0f jobs/s, micrometer %.0f jobs/s; cost %.1f %% "
                        + "(rounds: none %s, micrometer %s)%n",
                without,
                with,
                100 * (1 - with / without),
                rounded(none),
                rounded(micrometer));
    }

    private static double score(String listener) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(ListenerCostBenchmarks.class.getName() + ".submitAndPoll")
                .param("listener", listener)
                .jvmArgsPrepend("-Djmh.ignoreLock=true")
                .shouldDoGC(true)
                .build();
        RunResult result = new Runner(options).runSingle();
        return result.getPrimaryResult().getScore();
    }

    private static void inlineJmh(int rounds) throws RunnerException {
        List<Double> none = new ArrayList<>();
        List<Double> micrometer = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            // alternate which goes first, so that neither always runs on the warmer machine
            double without;
            double with;
            if (round % 2 == 1) {
                without = inlineScore("none");
                with = inlineScore("micrometer");
            } else {
                with = inlineScore("micrometer");
                without = inlineScore("none");
            }
            none.add(without);
            micrometer.add(with);
            ratios.add(with / without);
            System.out.printf(
                    Locale.ROOT,
                    "inline jmh round %d: none %.0f ns/job, micrometer %.0f ns/job (%+.1f %%)%n",
                    round,
                    without,
                    with,
                    100 * (with / without - 1));
        }
        System.out.printf(
                Locale.ROOT,
                "inline jmh: median none %.0f ns/job, micrometer %.0f ns/job; median of the "
                        + "round ratios: cost %.1f %% (ratios %s)%n",
                median(none),
                median(micrometer),
                100 * (median(ratios) - 1),
                percents(ratios));
    }

    private static double inlineScore(String listener) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(ListenerCostInlineBenchmarks.class.getName() + ".submitRunAndPoll")
                .param("listener", listener)
                .jvmArgsPrepend("-Djmh.ignoreLock=true")
                .shouldDoGC(true)
                .build();
        return new Runner(options).runSingle().getPrimaryResult().getScore();
    }

    private static void inlineCpuTime(int rounds) {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Double> none = new ArrayList<>();
        List<Double> micrometer = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        try (SubmitPollWorkload without = new SubmitPollWorkload("none", true);
                SubmitPollWorkload with = new SubmitPollWorkload("micrometer", true)) {
            for (int warm = 0; warm < 10; warm++) {
                threadMicrosPerJob(threads, without);
                threadMicrosPerJob(threads, with);
            }
            for (int round = 1; round <= rounds; round++) {
                double a;
                double b;
                if (round % 2 == 1) {
                    a = threadMicrosPerJob(threads, without);
                    b = threadMicrosPerJob(threads, with);
                } else {
                    b = threadMicrosPerJob(threads, with);
                    a = threadMicrosPerJob(threads, without);
                }
                none.add(a);
                micrometer.add(b);
                ratios.add(b / a);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "inline cpu: %d round pairs of %,d jobs; median none %.2f us/job, micrometer "
                        + "%.2f us/job; median of the round ratios: cost %.1f %% (quartiles of the ratios %.1f %% .. %.1f %%)%n",
                rounds,
                JOBS_PER_INLINE_ROUND,
                median(none),
                median(micrometer),
                100 * (median(ratios) - 1),
                100 * (quantile(ratios, 0.25) - 1),
                100 * (quantile(ratios, 0.75) - 1));
    }

    private static double threadMicrosPerJob(java.lang.management.ThreadMXBean threads, SubmitPollWorkload workload) {
        long before = threads.getCurrentThreadCpuTime();
        int jobs = 0;
        while (jobs < JOBS_PER_INLINE_ROUND) {
            jobs += workload.batch();
        }
        return (threads.getCurrentThreadCpuTime() - before) / 1000.0 / jobs;
    }

    private static double quantile(List<Double> values, double q) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.round(q * (sorted.size() - 1)));
    }

    private static String percents(List<Double> ratios) {
        return ratios.stream()
                .map(r -> String.format(Locale.ROOT, "%+.1f", 100 * (r - 1)))
                .toList()
                .toString();
    }

    private static void cpuTime(int rounds) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Double> none = new ArrayList<>();
        List<Double> micrometer = new ArrayList<>();
        try (SubmitPollWorkload without = new SubmitPollWorkload("none");
                SubmitPollWorkload with = new SubmitPollWorkload("micrometer")) {
            for (int warm = 0; warm < 3; warm++) {
                cpuMicrosPerJob(os, without);
                cpuMicrosPerJob(os, with);
            }
            for (int round = 1; round <= rounds; round++) {
                // alternate which goes first, so that neither always follows the other's garbage
                if (round % 2 == 1) {
                    none.add(cpuMicrosPerJob(os, without));
                    micrometer.add(cpuMicrosPerJob(os, with));
                } else {
                    micrometer.add(cpuMicrosPerJob(os, with));
                    none.add(cpuMicrosPerJob(os, without));
                }
                System.out.printf(
                        Locale.ROOT,
                        "cpu round %d: none %.2f us/job, micrometer %.2f us/job%n",
                        round,
                        none.get(round - 1),
                        micrometer.get(round - 1));
            }
        }
        double without = median(none);
        double with = median(micrometer);
        System.out.printf(
                Locale.ROOT,
                "cpu median: none %.2f us/job, micrometer %.2f us/job; cost %.1f %%%n",
                without,
                with,
                100 * (with / without - 1));
    }

    private static double cpuMicrosPerJob(com.sun.management.OperatingSystemMXBean os, SubmitPollWorkload workload) {
        System.gc();
        long before = os.getProcessCpuTime();
        int jobs = 0;
        while (jobs < JOBS_PER_CPU_ROUND) {
            jobs += workload.batch();
        }
        return (os.getProcessCpuTime() - before) / 1000.0 / jobs;
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
