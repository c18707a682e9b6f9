package io.github.accepted.benchmarks;

import io.github.accepted.Accepted;
import io.github.accepted.micrometer.AcceptedMetrics;
import io.github.accepted.protocol.AcceptedResponse;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.protocol.ProtocolRequest;
import io.github.accepted.spi.JobExecutor;
import io.github.accepted.spi.JobStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * No-op jobs submitted as {@code POST}s through the protocol engine and polled with
 * {@code GET /jobs/{id}} until they end, on an engine with or without a Micrometer listener
 * ({@link AcceptedMetrics} on a Prometheus registry). In-memory store, 2 workers. A poller
 * whose job is not done yet parks 20 µs before asking again.
 */
final class SubmitPollWorkload implements AutoCloseable {

    /** A batch's size. */
    static final int BATCH = 100;

    private static final String ORIGIN = "http://localhost:8080";
    private static final byte[] INPUT = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));
    private static final ByteArrayInputStream NO_BODY = new ByteArrayInputStream(new byte[0]);

    private final Accepted accepted;
    private final ProtocolEngine http;

    /** @param listener {@code none} or {@code micrometer} */
    SubmitPollWorkload(String listener) {
        this(listener, false);
    }

    /**
     * @param listener {@code none} or {@code micrometer}
     * @param inline   run each job on the submitting thread, inside its submit, instead of on 2
     *                 workers: the whole path (submit, run, events, poll) on one thread, which
     *                 removes the hand-offs whose scheduling noise swamps a few per cent
     */
    SubmitPollWorkload(String listener, boolean inline) {
        Accepted.Builder builder = Accepted.builder()
                .store(JobStore.inMemory(100_000, 1_000_000))
                .executor(inline ? JobExecutor.of(Runnable::run, 1) : JobExecutor.fixedThreadPool(2))
                .retention(Duration.ofSeconds(1))
                .purgeInterval(Duration.ofSeconds(1))
                .handler("noop", EngineBenchmarks.Noop.class, (input, context) -> input.n());
        switch (listener) {
            case "none" -> {}
            case "micrometer" ->
                builder.listener(AcceptedMetrics.of(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
            default -> throw new IllegalArgumentException("listener: none or micrometer, not " + listener);
        }
        accepted = builder.build();
        http = ProtocolEngine.builder(accepted)
                .route("POST", "/api/noop", "noop")
                .build();
    }

    /** Submits {@value #BATCH} jobs, then polls each until it has ended; returns how many ended. */
    int batch() {
        String[] monitors = new String[BATCH];
        for (int i = 0; i < monitors.length; i++) {
            AcceptedResponse submitted = http.handle(new ProtocolRequest(
                    "POST", "/api/noop", "", JSON, "", ORIGIN, "", "127.0.0.1", new ByteArrayInputStream(INPUT)));
            if (submitted.status() != 202) {
                throw new IllegalStateException("submit answered " + submitted.status());
            }
            monitors[i] = submitted.headers().get("Location").substring(ORIGIN.length());
        }
        int done = 0;
        for (String monitor : monitors) {
            while (http.handle(new ProtocolRequest("GET", monitor, "", Map.of(), "", ORIGIN, "", "127.0.0.1", NO_BODY))
                            .status()
                    == 202) {
                LockSupport.parkNanos(20_000); // not a spin: the workers need the cores
            }
            done++;
        }
        return done;
    }

    @Override
    public void close() {
        accepted.close();
    }
}
