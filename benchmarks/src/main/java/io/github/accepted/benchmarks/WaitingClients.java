package io.github.accepted.benchmarks;

import io.github.accepted.Accepted;
import io.github.accepted.conformance.Gates;
import io.github.accepted.conformance.Http;
import io.github.accepted.conformance.LongPollLoad;
import io.github.accepted.conformance.TestHandlers;
import io.github.accepted.internal.EngineInternals;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.servlet.AcceptedInitializer;
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
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * 10,000 clients long-polling one job on embedded Jetty, from a separate JVM: the server JVM's
 * threads and heap while they all wait, against the same server idle.
 */
final class WaitingClients {

    /** What was measured. */
    record Result(
            int clients,
            int idleThreads,
            int waitingThreads,
            long idleHeapMiB,
            long waitingHeapMiB,
            String clientOutcome) {}

    private WaitingClients() {}

    static Result measure(int clients) throws Exception {
        Accepted accepted = TestHandlers.registerAll(Accepted.builder()).build();
        ProtocolEngine http = ProtocolEngine.builder(accepted)
                .route("POST", "/api/gated", "gated")
                .maxWait(Duration.ofMinutes(4))
                .build();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setIdleTimeout(Duration.ofMinutes(5).toMillis());
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServletContainerInitializer(new AcceptedInitializer(http));
        server.setHandler(context);
        server.start();
        Process load = null;
        try {
            URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
            String gate = Gates.newGate();
            Http client = new Http();
            URI monitor = URI.create(client.postJson(base.resolve("/api/gated"), null, "{\"gate\":\"" + gate + "\"}")
                    .header("Location")
                    .orElseThrow());
            Http.Reply running;
            do {
                Thread.sleep(20);
                running = client.get(monitor, null);
            } while (running.json().path("progress").path("percent").asInt() != 50);
            int idleThreads = ManagementFactory.getThreadMXBean().getThreadCount();
            long idleHeap = usedAfterGc();

            load = new ProcessBuilder(
                            System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                            "-Xmx512m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            LongPollLoad.class.getName(),
                            monitor.toString(),
                            Integer.toString(clients),
                            running.header("ETag").orElseThrow(),
                            "200")
                    .redirectErrorStream(true)
                    .start();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(load.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<List<String>> lines =
                    CompletableFuture.supplyAsync(() -> out.lines().toList());
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (EngineInternals.of(accepted).waitingCount() < clients && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            int waitingThreads = ManagementFactory.getThreadMXBean().getThreadCount();
            long waitingHeap = usedAfterGc();
            Gates.open(gate);
            load.waitFor(2, TimeUnit.MINUTES);
            String outcome = lines.get(1, TimeUnit.MINUTES).stream()
                    .filter(l -> l.startsWith("DONE"))
                    .findFirst()
                    .orElse("no answer");
            return new Result(
                    EngineInternals.of(accepted).waitingCount() == 0 ? clients : -1,
                    idleThreads,
                    waitingThreads,
                    idleHeap >> 20,
                    waitingHeap >> 20,
                    outcome);
        } finally {
            if (load != null) {
                load.destroyForcibly();
            }
            accepted.close();
            server.stop();
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
