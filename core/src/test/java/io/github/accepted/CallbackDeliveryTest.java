package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accepted.spi.Callback;
import io.github.accepted.spi.CallbackState;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery of completion callbacks on the in-memory outbox (issue 16, item 2) to a real local
 * receiver (allow-listed loopback): signed as Standard Webhooks says, retried with the same
 * webhook-id after 500s, timeouts and refused connections, redirects not followed, bounded.
 */
class CallbackDeliveryTest {

    static final String SECRET =
            "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII));
    static final String OLD_SECRET = "whsec_"
            + Base64.getEncoder().encodeToString("an older secret, rotating".getBytes(StandardCharsets.US_ASCII));

    record Work(String text) {}

    private Accepted accepted;
    private Receiver receiver;

    @AfterEach
    void close() {
        if (accepted != null) {
            accepted.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private static Callbacks.Builder fast() {
        return Callbacks.builder()
                .secret(SECRET)
                .allow("127.0.0.1")
                .retries(Duration.ofMillis(50), Duration.ofMillis(200))
                .pollInterval(Duration.ofMillis(20));
    }

    private Accepted engine(Callbacks callbacks, JobHandler<Work, Object> handler) {
        accepted = Accepted.builder()
                .handler("work", Work.class, handler)
                .callbacks(callbacks)
                .build();
        return accepted;
    }

    private Job submit(String... urls) {
        return accepted.submitJson(
                        "work",
                        "alice",
                        "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8),
                        new CallbackRequest(List.of(urls), CallbackRequest.ALL_EVENTS, "https://app.example/jobs"))
                .job();
    }

    private Callback awaitState(Job job, CallbackState state) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> accepted.callbacks(job.id()).get(0).state() == state);
        return accepted.callbacks(job.id()).get(0);
    }

    /** An independent computation of the Standard Webhooks signature. */
    private static String expectedSignature(String secret, String id, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        byte[] signed = (id + "." + timestamp + "." + new String(body, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed));
    }

    @Test
    void aJobThatEnds_isPostedOnce_asItsMonitor_signedWithEverySecret() throws Exception {
        receiver = new Receiver(0, n -> 204);
        engine(
                Callbacks.builder()
                        .secret(SECRET)
                        .secret(OLD_SECRET)
                        .allow("127.0.0.1")
                        .pollInterval(Duration.ofMillis(20))
                        .build(),
                (in, ctx) -> in);
        Job job = submit(receiver.url("/hooks/done?tenant=7"));
        Callback delivered = awaitState(job, CallbackState.DELIVERED);

        assertThat(delivered.attempts()).isEqualTo(1);
        assertThat(receiver.calls).hasSize(1);
        Receiver.Call call = receiver.calls.get(0);
        assertThat(call.path()).isEqualTo("/hooks/done?tenant=7");
        assertThat(call.header("Content-Type")).isEqualTo("application/json");
        assertThat(call.header("webhook-id")).isEqualTo("msg_" + job.id().value() + "_0");
        long timestamp = Long.parseLong(call.header("webhook-timestamp"));
        assertThat(Math.abs(timestamp - System.currentTimeMillis() / 1000)).isLessThan(600);
        assertThat(call.header("webhook-signature").split(" "))
                .containsExactly(
                        expectedSignature(
                                SECRET, call.header("webhook-id"), call.header("webhook-timestamp"), call.body()),
                        expectedSignature(
                                OLD_SECRET, call.header("webhook-id"), call.header("webhook-timestamp"), call.body()));
        JsonNode body = new ObjectMapper().readTree(call.body());
        assertThat(body.get("jobId").asText()).isEqualTo(job.id().value());
        assertThat(body.get("status").asText()).isEqualTo("succeeded");
        assertThat(body.get("statusUrl").asText())
                .isEqualTo("https://app.example/jobs/" + job.id().value());
        assertThat(body.get("result").get("text").asText()).isEqualTo("hi");
    }

    @Test
    void failuresAnswered500_areRetried_withTheSameWebhookId_untilDelivered() throws Exception {
        receiver = new Receiver(0, n -> n <= 3 ? 500 : 200);
        engine(fast().build(), (in, ctx) -> in);
        Job job = submit(receiver.url("/hook"));
        Callback delivered = awaitState(job, CallbackState.DELIVERED);

        assertThat(delivered.attempts()).isEqualTo(4);
        assertThat(receiver.calls).hasSize(4);
        assertThat(receiver.calls).extracting(call -> call.header("webhook-id")).containsOnly(delivered.webhookId());
        for (Receiver.Call call : receiver.calls) { // each attempt signed afresh, each verifies
            assertThat(call.header("webhook-signature"))
                    .isEqualTo(expectedSignature(
                            SECRET, call.header("webhook-id"), call.header("webhook-timestamp"), call.body()));
        }
    }

    @Test
    void anAttemptThatTimesOut_isRetried() throws Exception {
        receiver = new Receiver(0, n -> n == 1 ? -3_000 : 200);
        engine(fast().timeouts(Duration.ofMillis(500), Duration.ofMillis(500)).build(), (in, ctx) -> in);
        Job job = submit(receiver.url("/slow"));
        Callback delivered = awaitState(job, CallbackState.DELIVERED);

        assertThat(delivered.attempts()).isGreaterThanOrEqualTo(2);
        assertThat(receiver.calls).extracting(call -> call.header("webhook-id")).containsOnly(delivered.webhookId());
    }

    @Test
    void aRefusedConnection_isRetried_untilTheReceiverListens() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort(); // closed again: connections to it are refused
        }
        engine(fast().build(), (in, ctx) -> in);
        Job job = submit("http://127.0.0.1:" + port + "/hook");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> accepted.callbacks(job.id()).get(0).attempts() >= 2);
        assertThat(accepted.callbacks(job.id()).get(0).lastError()).contains("connection refused");

        receiver = new Receiver(port, n -> 200);
        Callback delivered = awaitState(job, CallbackState.DELIVERED);
        assertThat(receiver.calls).hasSize(1);
        assertThat(receiver.calls.get(0).header("webhook-id")).isEqualTo(delivered.webhookId());
    }

    @Test
    void aRedirect_isNotFollowed_andDeliveryIsGivenUpAfterTheMaximumAge() throws Exception {
        receiver = new Receiver(0, n -> 302);
        engine(fast().maxAge(Duration.ofMillis(600)).build(), (in, ctx) -> in);
        Job job = submit(receiver.url("/moved"));
        Callback failed = awaitState(job, CallbackState.FAILED);

        assertThat(receiver.calls).extracting(Receiver.Call::path).containsOnly("/moved");
        assertThat(failed.lastError())
                .hasValueSatisfying(
                        error -> assertThat(error).contains("gave up").contains("redirects are not followed"));
    }

    @Test
    void onlyTheEventsAskedFor_areSent() throws Exception {
        receiver = new Receiver(0, n -> 200);
        engine(fast().build(), (in, ctx) -> in);
        Job job = accepted.submitJson(
                        "work",
                        "alice",
                        "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8),
                        new CallbackRequest(
                                List.of(receiver.url("/failures")),
                                Set.of(JobStatus.FAILED),
                                "https://app.example/jobs"))
                .job();
        awaitState(job, CallbackState.SKIPPED);
        assertThat(receiver.calls).isEmpty();
    }

    @Test
    void deliveriesInFlight_areBounded() throws Exception {
        CountDownLatch all = new CountDownLatch(6);
        receiver = new Receiver(0, n -> -300);
        engine(fast().maxInFlight(2).build(), (in, ctx) -> in);
        for (int i = 0; i < 6; i++) {
            Job job = submit(receiver.url("/busy/" + i));
            new Thread(() -> {
                        awaitState(job, CallbackState.DELIVERED);
                        all.countDown();
                    })
                    .start();
        }
        all.await();
        assertThat(receiver.calls).hasSize(6);
        assertThat(receiver.maxConcurrent.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void aCallbackTheApplicationRegistered_isSentButNotShown() throws Exception {
        receiver = new Receiver(0, n -> 200);
        engine(
                fast().forType("work", java.net.URI.create(receiver.url("/app")), Set.of())
                        .build(),
                (in, ctx) -> in);
        Job job = submit();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.calls.size() == 1);
        assertThat(receiver.calls.get(0).path()).isEqualTo("/app");
        assertThat(accepted.callbacks(job.id())).isEmpty();
    }
}
