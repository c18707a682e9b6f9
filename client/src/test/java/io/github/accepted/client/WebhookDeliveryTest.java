package io.github.accepted.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.github.accepted.Accepted;
import io.github.accepted.Callbacks;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.servlet.AcceptedInitializer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Callbacks end to end (issue 16): a client subscribes with {@code Callback-URL} over real HTTP
 * (Jetty), the job ends, and a real receiver on allow-listed loopback verifies the POST with
 * {@link WebhookVerifier} and with an independent HMAC computation, deduplicating by webhook-id.
 */
class WebhookDeliveryTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    record Sum(int a, int b) {}

    @SuppressWarnings("ArrayRecordComponent") // a received delivery, read by the test, never compared
    record Received(Map<String, String> headers, byte[] body) {}

    private final HttpClient http = HttpClient.newHttpClient();
    private final WebhookVerifier verifier = WebhookVerifier.of(SECRET);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private Accepted accepted;
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders()
                    .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            int status;
            try {
                String id = verifier.verify(name -> Optional.ofNullable(headers.get(name)), body);
                received.add(new Received(headers, body));
                // the first delivery fails on purpose: the retry must carry the same webhook-id
                status = answered.incrementAndGet() == 1 ? 503 : 200;
                if (status == 200) {
                    seen.putIfAbsent(id, true);
                }
            } catch (WebhookVerificationException e) {
                refused.add(e.getMessage());
                status = 401;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();

        accepted = Accepted.builder()
                .handler("sum", Sum.class, (in, job) -> Map.of("sum", in.a() + in.b()))
                .callbacks(Callbacks.builder()
                        .secret(SECRET)
                        .allow("127.0.0.1")
                        .retries(Duration.ofMillis(50), Duration.ofMillis(200))
                        .pollInterval(Duration.ofMillis(20))
                        .build())
                .build();
        ProtocolEngine protocol = ProtocolEngine.builder(accepted)
                .route("POST", "/api/sums", "sum")
                .build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServletContainerInitializer(new AcceptedInitializer(protocol));
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        accepted.close();
        server.stop();
        receiver.stop(0);
    }

    private HttpResponse<String> submit(String... callbackHeaders) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/sums"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":2,\"b\":3}"));
        for (int i = 0; i < callbackHeaders.length; i += 2) {
            request.header(callbackHeaders[i], callbackHeaders[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String hmac(String id, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(java.util.Base64.getDecoder().decode(SECRET.substring(6)), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    @Test
    void aSubscribedJob_isDeliveredSigned_retriedWithTheSameId_andTheMonitorSaysDelivered() throws Exception {
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook?for=sums";
        HttpResponse<String> submitted = submit("Callback-URL", hook, "Callback-Events", "succeeded, failed");
        assertThat(submitted.statusCode()).isIn(200, 202);
        URI monitor = URI.create(submitted.headers().firstValue("Location").orElseThrow());

        JsonNode job = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            job = new ObjectMapper()
                    .readTree(http.send(HttpRequest.newBuilder(monitor).build(), HttpResponse.BodyHandlers.ofString())
                            .body());
            if (job.has("callbacks")
                    && job.get("callbacks").get(0).get("state").asText().equals("delivered")) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(job.get("callbacks").get(0).get("state").asText()).isEqualTo("delivered");
        assertThat(job.get("callbacks").get(0).get("attempts").asInt()).isEqualTo(2);
        assertThat(job.get("callbacks").get(0).get("url").asText()).isEqualTo(hook);

        assertThat(refused).isEmpty();
        assertThat(received).hasSize(2);
        assertThat(received)
                .extracting(r -> r.headers().get("webhook-id"))
                .containsOnly("msg_" + job.get("jobId").asText() + "_0");
        assertThat(seen).hasSize(1);
        for (Received r : received) {
            assertThat(r.headers().get("webhook-signature"))
                    .isEqualTo(hmac(r.headers().get("webhook-id"), r.headers().get("webhook-timestamp"), r.body()));
        }
        JsonNode body = new ObjectMapper().readTree(received.get(1).body());
        assertThat(body.get("status").asText()).isEqualTo("succeeded");
        assertThat(body.get("result").get("sum").asInt()).isEqualTo(5);
        assertThat(body.get("statusUrl").asText()).isEqualTo(monitor.toString());
    }

    @Test
    void refusedCallbacks_areA400Problem_overHttp_andNothingIsQueued() throws Exception {
        List<HttpResponse<String>> replies = new ArrayList<>();
        replies.add(submit("Callback-URL", "not a url"));
        replies.add(submit("Callback-URL", "https://example.com/" + "x".repeat(3000)));
        replies.add(submit(
                "Callback-URL",
                "https://a.example/1, https://a.example/2, https://a.example/3, " + "https://a.example/4"));
        replies.add(submit("Callback-URL", "http://10.0.0.1/hook"));
        replies.add(submit("Callback-URL", "http://[::ffff:169.254.169.254]/latest/meta-data"));
        for (HttpResponse<String> reply : replies) {
            assertThat(reply.statusCode()).isEqualTo(400);
            assertThat(reply.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(reply.body()).contains("urn:accepted:problem:invalid-callback");
        }
        assertThat(received).isEmpty();
    }
}
