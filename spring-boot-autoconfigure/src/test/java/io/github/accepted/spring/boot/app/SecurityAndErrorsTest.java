package io.github.accepted.spring.boot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Owners from Spring Security (HTTP Basic, two users), the documented CSRF rule, and the requests
 * on Accepted's paths that Spring would otherwise answer itself: all problems.
 */
@SpringBootTest(classes = StarterApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SecurityAndErrorsTest {

    @LocalServerPort
    int port;

    Client client;

    @BeforeEach
    void client() {
        client = new Client(port);
    }

    private String submitted(String user) {
        HttpResponse<String> reply = client.post("/api/rows", user, "{\"rows\":1,\"name\":\"mine\"}");
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(202);
        return reply.headers().firstValue("Location").orElseThrow();
    }

    @Test
    void anotherUser_gets404_onAJob_andDoesNotSeeItInTheirList() {
        String monitor = submitted("alice");

        assertThat(client.get(monitor, "alice").statusCode()).isIn(200, 202);
        HttpResponse<String> bobs = client.get(monitor, "bob");
        assertProblem(bobs, 404, "not-found");
        assertThat(client.send("DELETE", monitor, "bob", null).statusCode()).isEqualTo(404);
        String id = monitor.substring(monitor.lastIndexOf('/') + 1);
        assertThat(client.get("/jobs", "alice").body()).contains(id);
        assertThat(client.get("/jobs", "bob").body()).doesNotContain(id);
    }

    @Test
    void anonymousCaller_listsNothing_andCannotReachAUsersJob() {
        String monitor = submitted("alice");

        assertProblem(client.get("/jobs", null), 403, "forbidden");
        assertProblem(client.get(monitor, null), 404, "not-found");
    }

    @Test
    void wrongPassword_is401Problem_withAChallenge() {
        HttpResponse<String> reply = client.post("/api/rows", "alice:wrong", "{\"rows\":1,\"name\":\"x\"}");

        assertProblem(reply, 401, "unauthorized");
        assertThat(reply.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"Realm\"");
    }

    @Test
    void authenticatedPost_withoutCsrfToken_isAccepted_onAcceptedsPaths_only() {
        assertThat(client.post("/api/rows", "alice", "{\"rows\":1,\"name\":\"x\"}")
                        .statusCode())
                .isEqualTo(202);

        assertProblem(client.post("/elsewhere", "alice", "{}"), 403, "forbidden");
    }

    @Test
    void trailingSlash_onARoute_is404Problem_fromAccepted() {
        assertProblem(client.post("/api/rows/", "alice", "{\"rows\":1,\"name\":\"x\"}"), 404, "not-found");
        assertProblem(client.get(submitted("alice") + "/", "alice"), 404, "not-found");
    }

    @Test
    void wrongMethod_is405Problem_withAllow() {
        HttpResponse<String> get = client.get("/api/rows", "alice");
        assertProblem(get, 405, "method-not-allowed");
        assertThat(get.headers().firstValue("Allow"))
                .hasValueSatisfying(allow -> assertThat(allow).contains("POST"));
        assertProblem(client.post(submitted("alice") + "/result", "alice", "{}"), 405, "method-not-allowed");
    }

    @Test
    void handler_seesTheSubmittersName_andUsesAnotherBean() {
        HttpResponse<String> reply = client.post("/api/whoami", "bob", "{}", "Prefer", "wait=20");

        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        assertThat(reply.body()).contains("\"greeting\":\"hello bob\"");
    }

    /** Issue 12: long-poll answers carried Spring Security's Pragma/Expires; immediate ones did not. */
    @Test
    void longPollAnswer_hasTheSameCacheHeaders_asAnImmediateAnswer() {
        String gate = UUID.randomUUID().toString();
        StarterApplication.GATES.put(gate, new CountDownLatch(1));
        HttpResponse<String> submit = client.post("/api/wait", "alice", "{\"gate\":\"" + gate + "\"}");
        String monitor = submit.headers().firstValue("Location").orElseThrow();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.get(monitor, "alice").body().contains("\"percent\":50"));

        HttpResponse<String> immediate = client.get(monitor, "alice");
        HttpResponse<String> longPoll = client.get(monitor, "alice", "Prefer", "wait=1");
        StarterApplication.GATES.get(gate).countDown();

        assertThat(longPoll.headers().firstValue("Preference-Applied")).contains("wait=1");
        for (HttpResponse<String> reply : java.util.List.of(immediate, longPoll)) {
            assertThat(reply.statusCode()).isEqualTo(202);
            assertThat(reply.headers().allValues("Cache-Control")).containsExactly("no-store");
            assertThat(reply.headers().firstValue("Pragma")).isEmpty();
            assertThat(reply.headers().firstValue("Expires")).isEmpty();
        }
    }

    static void assertProblem(HttpResponse<String> reply, int status, String type) {
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(status);
        assertThat(reply.headers().firstValue("Content-Type"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("application/problem+json"));
        assertThat(reply.body())
                .contains("\"type\":\"urn:accepted:problem:" + type + "\"")
                .contains("\"status\":" + status)
                .doesNotContain("timestamp");
    }
}
