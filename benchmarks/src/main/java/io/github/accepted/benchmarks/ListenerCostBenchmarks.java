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
 * The submit/poll path through the protocol engine (no HTTP), with and without a registered
 * Micrometer listener: {@link SubmitPollWorkload}, jobs per second. The events of the runs
 * (started, succeeded) are paid on the two workers within the same measurement.
 * {@link ListenerCost} runs the two in interleaved forks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx1g"})
public class ListenerCostBenchmarks {

    /** {@code none}, or {@code micrometer}. */
    @Param({"none", "micrometer"})
    public String listener;

    private SubmitPollWorkload workload;

    @Setup(Level.Trial)
    public void start() {
        workload = new SubmitPollWorkload(listener);
    }

    @TearDown(Level.Trial)
    public void stop() {
        workload.close();
    }

    @Benchmark
    @OperationsPerInvocation(SubmitPollWorkload.BATCH)
    public int submitAndPoll() {
        return workload.batch();
    }
}
