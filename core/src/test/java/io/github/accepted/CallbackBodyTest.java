package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.accepted.protocol.AcceptedResponse;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.protocol.ProtocolRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A callback's body is the job's monitor, as GET /jobs/{id} writes it (without the callbacks field). */
class CallbackBodyTest {

    record Work(boolean fail) {}

    private final ObjectMapper json = new ObjectMapper();
    private Receiver receiver;
    private Accepted accepted;

    @AfterEach
    void close() {
        accepted.close();
        receiver.close();
    }

    private void sameAsTheMonitor(boolean fail) throws Exception {
        receiver = new Receiver(0, n -> 200);
        accepted = Accepted.builder()
                .handler("work", Work.class, (in, job) -> {
                    job.progress(40, "halfway");
                    job.metadata(Map.of("rows", 12));
                    if (in.fail()) {
                        throw new JobFailedException(Problem.of("bad-rows", "Bad rows", 409, "Row 3 is bad."));
                    }
                    return Map.of("ok", true);
                })
                .callbacks(Callbacks.builder()
                        .secret(CallbackDeliveryTest.SECRET)
                        .allow("127.0.0.1")
                        .pollInterval(Duration.ofMillis(20))
                        .build())
                .build();
        ProtocolEngine engine = ProtocolEngine.builder(accepted)
                .route("POST", "/api/work", "work")
                .build();
        AcceptedResponse submitted = engine.handle(new ProtocolRequest(
                "POST",
                "/api/work",
                "",
                Map.of("Content-Type", List.of("application/json"), "Callback-URL", List.of(receiver.url("/hook"))),
                "alice",
                "https://app.example",
                "",
                "192.0.2.1",
                new ByteArrayInputStream(("{\"fail\":" + fail + "}").getBytes(StandardCharsets.UTF_8))));
        String monitor = submitted.header("Location").orElseThrow().replace("https://app.example", "");
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.calls.size() == 1);

        ObjectNode shown = (ObjectNode) json.readTree(engine.handle(new ProtocolRequest(
                        "GET",
                        monitor,
                        "",
                        Map.of(),
                        "alice",
                        "https://app.example",
                        "",
                        "192.0.2.1",
                        new ByteArrayInputStream(new byte[0])))
                .bodyText());
        shown.remove("callbacks");
        assertThat(json.readTree(receiver.calls.get(0).body())).isEqualTo(shown);
        assertThat(shown.get("status").asText()).isEqualTo(fail ? "failed" : "succeeded");
    }

    @Test
    void aSucceededJobsCallback_isItsMonitor() throws Exception {
        sameAsTheMonitor(false);
    }

    @Test
    void aFailedJobsCallback_isItsMonitor() throws Exception {
        sameAsTheMonitor(true);
    }
}
