package io.github.accepted.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How claim-ahead ({@code Accepted.Builder#prefetch}) changes the drain of a backlog on
 * PostgreSQL, beside db-scheduler: the numbers behind the advice in docs/postgres.md
 * ("Claim-ahead") and the benchmark's own {@code prefetch(30)}. One embedded server; each round
 * drains a backlog with every prefetch value and with db-scheduler, in alternating order, after
 * one unmeasured drain of each (all in this one JVM: read the ratios within a round). Prints the
 * rounds and the medians as a Markdown table.
 *
 * <p>Run: {@code java -cp … io.github.accepted.benchmarks.BacklogByPrefetch [jobs [rounds [off|on
 * [prefetch,prefetch,…]]]]}, by default {@code 5000 3 off 0,4,16,30,40}.
 */
public final class BacklogByPrefetch {

    private BacklogByPrefetch() {}

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String flag = args.length > 2 ? args[2] : "off";
        int[] prefetches = Arrays.stream((args.length > 3 ? args[3] : "0,4,16,30,40").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        try (EmbeddedPostgres postgres = PostgresEndToEnd.startServer(flag)) {
            PostgresEndToEnd.Server server = PostgresEndToEnd.Server.at(postgres.getPort());
            List<Integer> order = new ArrayList<>();
            for (int prefetch : prefetches) {
                order.add(prefetch);
            }
            order.add(-1); // db-scheduler
            for (int p : order) {
                PostgresEndToEnd.backlog(server, contender(p), jobs / 2, false);
            }
            Map<String, List<PostgresEndToEnd.Backlog>> results = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                List<Integer> thisRound = new ArrayList<>(order);
                if (round % 2 == 1) {
                    Collections.reverse(thisRound);
                }
                for (int p : thisRound) {
                    PostgresEndToEnd.Backlog b = PostgresEndToEnd.backlog(server, contender(p), jobs, false);
                    String name = name(p);
                    results.computeIfAbsent(name, k -> new ArrayList<>()).add(b);
                    System.out.printf(
                            Locale.ROOT,
                            "round %d, %s: %,.0f jobs/s, %.2f statements/job, %.0f µs JVM CPU/job (load average %s)%n",
                            round + 1,
                            name,
                            b.jobsPerSecond(),
                            b.statementsPerJob(),
                            b.jvmCpuMicrosPerJob(),
                            PostgresEndToEnd.loadAverage());
                }
            }
            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "Backlog of %,d no-op jobs, 2 instances of 10 workers, fsync %s, median of %d rounds:%n%n",
                    jobs,
                    flag,
                    rounds);
            System.out.println("| | jobs/s | statements per job | JVM CPU per job (µs) |");
            System.out.println("|---|---|---|---|");
            results.forEach((name, runs) -> System.out.printf(
                    Locale.ROOT,
                    "| %s | %,.0f | %.2f | %.0f |%n",
                    name,
                    median(runs.stream()
                            .map(PostgresEndToEnd.Backlog::jobsPerSecond)
                            .toList()),
                    median(runs.stream()
                            .map(PostgresEndToEnd.Backlog::statementsPerJob)
                            .toList()),
                    median(runs.stream()
                            .map(PostgresEndToEnd.Backlog::jvmCpuMicrosPerJob)
                            .toList())));
        }
        System.exit(0); // the systems' non-daemon threads must not keep this JVM alive
    }

    private static Contender contender(int prefetch) {
        return prefetch < 0 ? new Contender.DbScheduler() : new Contender.AcceptedOnPostgres(prefetch);
    }

    private static String name(int prefetch) {
        return prefetch < 0 ? "db-scheduler" : "Accepted, prefetch(" + prefetch + ")";
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
