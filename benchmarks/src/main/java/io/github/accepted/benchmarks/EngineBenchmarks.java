package io.github.accepted.benchmarks;

import io.github.accepted.Accepted;
import io.github.accepted.JobId;
import io.github.accepted.spi.JobExecutor;
import io.github.accepted.spi.JobStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * No-op jobs through the engine, submit to {@code succeeded}, on the in-memory store with 2
 * workers: jobs per second. Each operation submits 1,000 jobs and waits until all have ended.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xmx2g"})
public class EngineBenchmarks {

    /** The no-op job's input. */
    public record Noop(int n) {}

    private static final byte[] INPUT = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
    private Accepted accepted;

    @Setup(Level.Trial)
    public void start() {
        accepted = Accepted.builder()
                .store(JobStore.inMemory(100_000, 1_000_000))
                .executor(JobExecutor.fixedThreadPool(2))
                .retention(Duration.ofSeconds(1))
                .purgeInterval(Duration.ofSeconds(1))
                .handler("noop", Noop.class, (input, context) -> input.n())
                .build();
    }

    @TearDown(Level.Trial)
    public void stop() {
        accepted.close();
    }

    @Benchmark
    @OperationsPerInvocation(1000)
    public int submitAndComplete() throws InterruptedException {
        JobId[] ids = new JobId[1000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = accepted.submitJson("noop", "", INPUT).id();
        }
        int done = 0;
        for (JobId id : ids) {
            while (accepted.find(id, "").map(job -> !job.status().isTerminal()).orElse(false)) {
                Thread.onSpinWait();
            }
            done++;
        }
        return done;
    }
}
