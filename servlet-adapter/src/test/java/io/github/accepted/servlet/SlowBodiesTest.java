package io.github.accepted.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.accepted.Accepted;
import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression (issue 19): clients that declare a body and then send it a byte now and then held a
 * container thread each in a blocking read, until the pool was exhausted and no endpoint
 * answered. Twice as many slow submitters as the container has threads must leave a probe (a
 * status lookup and a normal submit) answered, on Jetty and on Tomcat.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowBodiesTest {

    private static final int MAX_THREADS = 20;
    private static final int SLOW_CLIENTS = 2 * MAX_THREADS;
    private static final int DECLARED_LENGTH = 100_000;
    private static final String PREFIX = "{\"text\":\"";
    private static final String SUFFIX = "\"}";

    record Text(String text) {}

    private final Accepted accepted =
            Accepted.builder().handler("echo", Text.class, (in, ctx) -> in).build();
    private final ProtocolEngine engine =
            ProtocolEngine.builder(accepted).route("POST", "/api/echo", "echo").build();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @AfterEach
    void close() {
        accepted.close();
    }

    @Test
    void slowSubmitters_onJetty_doNotStopOtherRequests() throws Exception {
        try (RunningServer server = JettyServers.startWithThreads(engine, MAX_THREADS)) {
            slowSubmittersDoNotStopOtherRequests(server.baseUri());
        }
    }

    @Test
    void slowSubmitters_onTomcat_doNotStopOtherRequests() throws Exception {
        try (RunningServer server = TomcatServers.startWithThreads(engine, MAX_THREADS)) {
            slowSubmittersDoNotStopOtherRequests(server.baseUri());
        }
    }

    private void slowSubmittersDoNotStopOtherRequests(URI base) throws Exception {
        HttpResponse<String> first = submit(base);
        assertThat(first.statusCode()).isEqualTo(202);
        URI monitor = URI.create(first.headers().firstValue("Location").orElseThrow());
        List<SlowClient> slow = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                slow.add(new SlowClient(base));
            }
            for (int round = 0; round < 3; round++) { // long enough for the server to take each one up
                Thread.sleep(300);
                for (SlowClient c : slow) {
                    c.drip();
                }
            }
            Thread dripping = new Thread(
                    () -> {
                        try {
                            while (!Thread.currentThread().isInterrupted()) {
                                Thread.sleep(500);
                                for (SlowClient c : slow) {
                                    c.drip();
                                }
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "slow-clients");
            dripping.setDaemon(true);
            dripping.start();
            try {
                HttpResponse<String> status = client.send(
                        HttpRequest.newBuilder(monitor)
                                .timeout(Duration.ofSeconds(20))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(status.statusCode())
                        .as("a status lookup beside the slow clients")
                        .isIn(200, 202);
                assertThat(submit(base).statusCode())
                        .as("a normal submit beside the slow clients")
                        .isEqualTo(202);
            } finally {
                dripping.interrupt();
                dripping.join(5_000);
            }
            assertThat(slow.get(0).finish())
                    .as("a slow client that finally sends it all")
                    .startsWith("HTTP/1.1 202");
        } finally {
            for (SlowClient c : slow) {
                c.close();
            }
        }
    }

    private HttpResponse<String> submit(URI base) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create(base + "/api/echo"))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"probe\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A raw connection that declares {@value #DECLARED_LENGTH} bytes and sends them one by one. */
    private static final class SlowClient implements AutoCloseable {

        private final Socket socket;
        private final OutputStream out;
        private int sent;
        private volatile boolean failed;

        SlowClient(URI base) throws IOException {
            socket = new Socket(base.getHost(), base.getPort());
            socket.setSoTimeout(20_000);
            out = socket.getOutputStream();
            String head = "POST " + base.getRawPath() + "/api/echo HTTP/1.1\r\nHost: " + base.getHost() + ":"
                    + base.getPort() + "\r\nContent-Type: application/json\r\nContent-Length: " + DECLARED_LENGTH
                    + "\r\n\r\n" + PREFIX;
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            sent = PREFIX.length();
        }

        synchronized void drip() {
            if (failed) {
                return;
            }
            try {
                out.write('x');
                out.flush();
                sent++;
            } catch (IOException e) {
                failed = true; // the server gave up on it: not what this test is about
            }
        }

        /** Sends the rest of the body and reads the status line of the answer. */
        synchronized String finish() throws IOException {
            int rest = DECLARED_LENGTH - sent - SUFFIX.length();
            out.write(("x".repeat(rest) + SUFFIX).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
                    .readLine();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
