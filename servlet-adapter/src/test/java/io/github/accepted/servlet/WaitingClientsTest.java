package io.github.accepted.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.Accepted;
import io.github.accepted.conformance.Gates;
import io.github.accepted.conformance.Http;
import io.github.accepted.conformance.LongPollLoad;
import io.github.accepted.conformance.RunningServer;
import io.github.accepted.conformance.TestHandlers;
import io.github.accepted.internal.EngineInternals;
import io.github.accepted.protocol.ProtocolEngine;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ten thousand clients long-polling one job at once must not need ten thousand threads. The
 * clients run in a separate JVM; this JVM (the server) counts its own threads while all of them
 * wait. With one thread per waiting request, the containers' pools (200 threads) could not even
 * hold them all, and the count of waiters would never reach 10,000.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WaitingClientsTest {

    private static final int CLIENTS = 10_000;
    /** Generous: the pool's 200 threads plus selectors, schedulers and the JVM's own. */
    private static final int THREAD_BUDGET = 400;

    @Test
    void tenThousandWaitingClients_onJetty_holdNoThreads() throws Exception {
        run(engine -> JettyServers.start(engine, Duration.ofMinutes(5)));
    }

    @Test
    void tenThousandWaitingClients_onTomcat_holdNoThreads() throws Exception {
        run(engine -> TomcatServers.start(engine, CLIENTS + 2_000));
    }

    interface Starter {
        RunningServer start(ProtocolEngine engine) throws Exception;
    }

    private void run(Starter starter) throws Exception {
        Accepted accepted = TestHandlers.registerAll(Accepted.builder()).build();
        ProtocolEngine http = ProtocolEngine.builder(accepted)
                .route("POST", "/api/gated", "gated")
                .maxWait(Duration.ofMinutes(4))
                .build();
        RunningServer server = starter.start(http);
        Process load = null;
        try {
            String gate = Gates.newGate();
            Http client = new Http();
            Http.Reply submitted =
                    client.postJson(URI.create(server.baseUri() + "/api/gated"), null, "{\"gate\":\"" + gate + "\"}");
            URI monitor = URI.create(submitted.header("Location").orElseThrow());
            String tag = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> client.get(monitor, null),
                            reply -> reply.json()
                                            .path("progress")
                                            .path("percent")
                                            .asInt()
                                    == 50)
                    .header("ETag")
                    .orElseThrow();

            load = new ProcessBuilder(
                            javaBinary(),
                            "-Xmx512m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            LongPollLoad.class.getName(),
                            monitor.toString(),
                            Integer.toString(CLIENTS),
                            tag,
                            "200")
                    .redirectErrorStream(true)
                    .start();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(load.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<List<String>> lines =
                    CompletableFuture.supplyAsync(() -> out.lines().toList());

            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200))
                    .until(EngineInternals.of(accepted)::waitingCount, waiting -> waiting == CLIENTS);
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            ManagementFactory.getMemoryMXBean().gc();
            long heapUsed =
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf(
                    "%s: %d clients waiting; %d server-JVM threads; %d MiB heap in use after a GC%n",
                    server.getClass().getEnclosingClass() == null
                            ? "server"
                            : server.getClass().getEnclosingClass().getSimpleName(),
                    CLIENTS,
                    threads,
                    heapUsed >> 20);
            assertThat(threads)
                    .as("server threads while %d clients wait", CLIENTS)
                    .isLessThan(THREAD_BUDGET);

            Gates.open(gate);
            assertThat(load.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(lines.get(10, TimeUnit.SECONDS)).contains("SENT " + CLIENTS, "DONE {200=" + CLIENTS + "}");
            assertThat(EngineInternals.of(accepted).waitingCount()).isZero();
        } finally {
            if (load != null) {
                load.destroyForcibly();
            }
            accepted.close();
            server.close();
        }
    }

    private static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
