package io.github.accepted.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The submit/poll path through the protocol engine (no HTTP) with each job run inline, on the
 * benchmark's thread, inside its submit: {@link SubmitPollWorkload} with {@code inline}. Submit,
 * run, the events of all three (submitted, started, succeeded) and the poll all fall in the
 * measured time of one thread, and no thread hand-off adds its scheduling noise. Average time
 * per job, without and with a registered Micrometer listener; {@link ListenerCost} runs the two
 * in interleaved forks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx1g"})
public class ListenerCostInlineBenchmarks {

    /** {@code none}, or {@code micrometer}. */
    @Param({"none", "micrometer"})
    public String listener;

    private SubmitPollWorkload workload;

    @Setup(Level.Trial)
    public void start() {
        workload = new SubmitPollWorkload(listener, true);
    }

    @TearDown(Level.Trial)
    public void stop() {
        workload.close();
    }

    @Benchmark
    @OperationsPerInvocation(SubmitPollWorkload.BATCH)
    public int submitRunAndPoll() {
        return workload.batch();
    }
}
