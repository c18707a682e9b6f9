package io.github.accepted.properties;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accepted.Accepted;
import io.github.accepted.protocol.AcceptedResponse;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.protocol.ProtocolRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Random requests from three callers (two owners and an anonymous one) against the protocol
 * engine: submits, polls, results, cancels and lists, in any order. No answer is a 5xx, and no
 * caller ever sees another owner's job.
 */
class ProtocolProperties {

    record Text(String text) {}

    enum Kind {
        SUBMIT,
        SUBMIT_BAD,
        POLL,
        RESULT,
        CANCEL,
        LIST
    }

    record Call(Kind kind, int caller, int job) {}

    private static final String[] CALLERS = {"alice", "bob", ""};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Accepted accepted = Accepted.builder()
            .handler("t", Text.class, (in, ctx) -> {
                if (in.text().equals("fail")) {
                    throw new IllegalStateException("boom");
                }
                return Map.of("echo", in.text());
            })
            .build();
    private final ProtocolEngine engine =
            ProtocolEngine.builder(accepted).route("POST", "/api/t", "t").build();

    @AfterProperty
    void close() {
        accepted.close();
    }

    @Provide
    Arbitrary<List<Call>> calls() {
        return Combinators.combine(
                        Arbitraries.of(Kind.class),
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 9))
                .as(Call::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(60);
    }

    private AcceptedResponse send(String method, String path, String query, String owner, String body) {
        Map<String, List<String>> headers =
                body == null ? Map.of() : Map.of("Content-Type", List.of("application/json"));
        return engine.handle(new ProtocolRequest(
                method,
                path,
                query,
                headers,
                owner,
                "http://x.test",
                "",
                "10.0.0.9",
                new ByteArrayInputStream(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8))));
    }

    @Property(tries = 200)
    void ownersNeverSeeEachOthersJobs_andNothingIsA5xx(@ForAll("calls") List<Call> calls) throws Exception {
        List<String> ids = new ArrayList<>();
        Map<String, String> ownerOf = new HashMap<>();
        String run = java.util.UUID.randomUUID() + "-"; // owners of earlier tries stay apart
        for (Call call : calls) {
            String caller = CALLERS[call.caller()].isEmpty() ? "" : run + CALLERS[call.caller()];
            String id = ids.isEmpty() ? "AAAAAAAAAAAAAAAAAAAAAA" : ids.get(call.job() % ids.size());
            AcceptedResponse reply =
                    switch (call.kind()) {
                        case SUBMIT ->
                            send(
                                    "POST",
                                    "/api/t",
                                    "",
                                    caller,
                                    "{\"text\":\"" + (call.job() % 3 == 0 ? "fail" : "x") + "\"}");
                        case SUBMIT_BAD -> send("POST", "/api/t", "", caller, "{\"text\":" + call.job() + "}");
                        case POLL -> send("GET", "/jobs/" + id, "", caller, null);
                        case RESULT -> send("GET", "/jobs/" + id + "/result", "", caller, null);
                        case CANCEL -> send("DELETE", "/jobs/" + id, "", caller, null);
                        case LIST -> send("GET", "/jobs", "limit=100", caller, null);
                    };
            assertThat(reply.status()).as("%s by %s", call, caller).isLessThan(500);
            if (call.kind() == Kind.SUBMIT && reply.status() == 202) {
                String created = JSON.readTree(reply.body()).path("jobId").asText();
                ids.add(created);
                ownerOf.put(created, caller);
            }
            if (call.kind() == Kind.SUBMIT_BAD) {
                assertThat(reply.status()).isEqualTo(400);
            }
            boolean visible = !ownerOf.containsKey(id)
                    || ownerOf.get(id).isEmpty()
                    || ownerOf.get(id).equals(caller);
            if (!visible && call.kind() != Kind.LIST && call.kind() != Kind.SUBMIT && call.kind() != Kind.SUBMIT_BAD) {
                assertThat(reply.status())
                        .as("another owner's job is not found")
                        .isEqualTo(404);
            }
            if (call.kind() == Kind.LIST && reply.status() == 200) {
                for (JsonNode job : JSON.readTree(reply.body()).path("jobs")) {
                    assertThat(ownerOf.get(job.path("jobId").asText())).isEqualTo(caller);
                }
            }
            if (reply.status() >= 400) {
                assertThat(reply.header("Content-Type")).contains("application/problem+json");
            }
        }
    }
}
