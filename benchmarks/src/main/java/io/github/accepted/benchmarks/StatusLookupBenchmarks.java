package io.github.accepted.benchmarks;

import io.github.accepted.Accepted;
import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.Payload;
import io.github.accepted.internal.JobTransitions;
import io.github.accepted.protocol.AcceptedResponse;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.protocol.ProtocolRequest;
import io.github.accepted.spi.JobExecutor;
import io.github.accepted.spi.JobStore;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code GET /jobs/{id}} through the protocol engine (lookup, owner check, ETag, JSON), without
 * HTTP, with 1,000 and with 1,000,000 finished jobs retained: answers per second.
 *
 * <p>Both poll the same number of jobs, the {@value #POLLED} most recently finished, in a fixed
 * shuffled order: what clients poll are the jobs they just submitted. The two runs then differ
 * only in how many other jobs the store holds, which is what the comparison is about. (Polling
 * 100,000 different jobs at random instead measures the machine's caches: every lookup misses
 * them, in any map.) Several forks, since one JVM's layout can be lucky or not, and a long warm-up:
 * on a busy machine the compiler needs it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = StatusLookupBenchmarks.WARMUPS, time = StatusLookupBenchmarks.SECONDS)
@Measurement(iterations = StatusLookupBenchmarks.ITERATIONS, time = StatusLookupBenchmarks.SECONDS)
@Fork(
        value = StatusLookupBenchmarks.FORKS,
        jvmArgsAppend = {"-Xmx3g"})
public class StatusLookupBenchmarks {

    /** How many different jobs are polled, with either store size. */
    static final int POLLED = 1_000;

    static final int FORKS = 3;
    static final int WARMUPS = 5;
    static final int ITERATIONS = 5;
    static final int SECONDS = 3;

    @Param({"1000", "1000000"})
    public int retained;

    private Accepted accepted;
    private ProtocolEngine http;
    private ProtocolRequest[] requests;
    private int next;

    @Setup(Level.Trial)
    public void fill() {
        JobStore store = JobStore.inMemory(10, retained + 10);
        Instant now = Instant.now();
        requests = new ProtocolRequest[Math.min(retained, POLLED)];
        ByteArrayInputStream noBody = new ByteArrayInputStream(new byte[0]);
        for (int i = 0; i < retained; i++) {
            Job queued = Job.queued(JobId.random(), "noop", "alice", Payload.json("{\"n\":1}"), now);
            store.create(queued);
            Job running = store.claimNext(now, java.util.Set.of("noop")).orElseThrow();
            Job done = JobTransitions.succeeded(running, Payload.json("{\"ok\":true}"), now, Duration.ofDays(1));
            store.replace(running, done);
            int polled = i - (retained - requests.length); // the last ones finished
            if (polled >= 0) {
                requests[polled] = new ProtocolRequest(
                        "GET",
                        "/jobs/" + queued.id().value(),
                        "",
                        Map.of(),
                        "alice",
                        "http://localhost:8080",
                        "",
                        "127.0.0.1",
                        noBody);
            }
        }
        List<ProtocolRequest> shuffled = new java.util.ArrayList<>(List.of(requests));
        java.util.Collections.shuffle(shuffled, new java.util.Random(42));
        requests = shuffled.toArray(ProtocolRequest[]::new);
        accepted = Accepted.builder()
                .store(store)
                .executor(JobExecutor.fixedThreadPool(1))
                .handler("noop", EngineBenchmarks.Noop.class, (input, context) -> input.n())
                .build();
        http = ProtocolEngine.builder(accepted).build();
        System.gc(); // both sizes start measuring from a collected heap, not from the filling's garbage
    }

    @TearDown(Level.Trial)
    public void stop() {
        accepted.close();
    }

    @Benchmark
    public AcceptedResponse poll() {
        ProtocolRequest request = requests[next++ % requests.length];
        return http.handle(request);
    }
}
