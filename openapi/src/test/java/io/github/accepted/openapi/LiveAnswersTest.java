package io.github.accepted.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.accepted.Accepted;
import io.github.accepted.JobCanceledException;
import io.github.accepted.JobFailedException;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.protocol.Route;
import io.github.accepted.servlet.AcceptedInitializer;
import io.github.accepted.spi.JobExecutor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The document against the engine's live answers, over real HTTP on Jetty: every status and
 * header answered, on every endpoint, in every state a job can be in, is in the document served
 * beside it.
 */
class LiveAnswersTest {

    record Wait() {}

    record Text(String text) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private Accepted accepted;
    private ProtocolEngine engine;
    private Server server;
    private URI base;
    private DocumentedAnswers answers;

    @BeforeEach
    void start() throws Exception {
        accepted = Accepted.builder()
                .executor(JobExecutor.fixedThreadPool(1)) // so that a second slow job stays queued
                .handler("slow", Wait.class, (in, ctx) -> {
                    while (!release.await(10, TimeUnit.MILLISECONDS)) {
                        if (ctx.isCancellationRequested()) {
                            throw new JobCanceledException();
                        }
                    }
                    return Map.of("done", true);
                })
                .handler("echo", Text.class, (in, ctx) -> in)
                .handler("fail", Text.class, (in, ctx) -> {
                    throw new JobFailedException("it went wrong");
                })
                .build();
        engine = ProtocolEngine.builder(accepted)
                .route("POST", "/api/slow", "slow")
                .route("POST", "/api/echo", "echo")
                .route("POST", "/api/fail", "fail")
                .route(Route.of("POST", "/api/keyed", "echo").requireIdempotencyKey())
                .maxBodyBytes(1024)
                .build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/app");
        context.addServletContainerInitializer(new AcceptedInitializer(
                engine, request -> request.getHeader("X-User") == null ? "" : request.getHeader("X-User")));
        context.addServlet(
                new ServletHolder(new AcceptedOpenApiServlet(OpenApiDocument.of(engine, OpenApiInfo.of("Live", "1")))),
                "/openapi.json");
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/app");
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        accepted.close();
        server.stop();
    }

    private HttpResponse<byte[]> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return answers == null ? response : answers.check(method, response);
    }

    private HttpResponse<byte[]> submit(String path, String body, String... headers) throws Exception {
        String[] all = new String[headers.length + 4];
        all[0] = "Content-Type";
        all[1] = "application/json";
        all[2] = "X-User";
        all[3] = "alice";
        System.arraycopy(headers, 0, all, 4, headers.length);
        return send("POST", path, body, all);
    }

    private static String jobPath(HttpResponse<byte[]> response) throws Exception {
        return URI.create(JSON.readTree(response.body()).path("statusUrl").asText())
                .getPath()
                .substring("/app".length());
    }

    private static String etag(HttpResponse<byte[]> response) {
        return response.headers().firstValue("ETag").orElseThrow();
    }

    @Test
    void servedDocument_isValid_andNamesTheContextPathAsItsServer() throws Exception {
        HttpResponse<byte[]> doc = send("GET", "/openapi.json", null);
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(doc.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        DocumentedAnswers parsed = DocumentedAnswers.parse(new String(doc.body(), StandardCharsets.UTF_8), "/app");
        assertThat(parsed.api().getServers()).extracting(s -> s.getUrl()).containsExactly("/app");

        assertThat(send("GET", "/openapi.json", null, "If-None-Match", etag(doc))
                        .statusCode())
                .isEqualTo(304);
        assertThat(send("HEAD", "/openapi.json", null).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> post = send("POST", "/openapi.json", "{}");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD, OPTIONS");
    }

    @Test
    void theCheck_refusesAnAnswerWhoseStatusOrHeaderIsNotDocumented() throws Exception {
        ObjectNode tree = (ObjectNode)
                OpenApiDocument.of(engine, OpenApiInfo.of("Live", "1")).tree();
        ((ObjectNode) tree.at("/paths/~1api~1echo/post/responses/202/headers")).remove("Retry-After");
        ((ObjectNode) tree.at("/paths/~1api~1echo/post/responses")).remove("415");
        answers = DocumentedAnswers.parse(tree.toString(), "/app");

        assertThatThrownBy(() -> submit("/api/echo", "{\"text\":\"hi\"}"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("header retry-after is documented");
        assertThatThrownBy(() -> send("POST", "/api/echo", "{}", "Content-Type", "text/plain"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("POST /api/echo -> 415 is documented");
    }

    @Test
    void everyStatusAndHeaderAnswered_isDocumentedForItsOperation() throws Exception {
        answers = DocumentedAnswers.parse(
                new String(send("GET", "/openapi.json", null).body(), StandardCharsets.UTF_8), "/app");

        // a running job, and one queued behind it (one worker)
        HttpResponse<byte[]> running = submit("/api/slow", "{}");
        HttpResponse<byte[]> queued = submit("/api/slow", "{}");
        assertThat(running.statusCode()).isEqualTo(202);
        assertThat(queued.statusCode()).isEqualTo(202);
        String slow = jobPath(running);
        String waiting = jobPath(queued);

        HttpResponse<byte[]> monitor = send("GET", slow, null, "X-User", "alice");
        assertThat(monitor.statusCode()).isEqualTo(202);
        assertThat(send("GET", slow, null, "X-User", "alice", "If-None-Match", etag(monitor))
                        .statusCode())
                .isEqualTo(304);
        assertThat(send("GET", slow, null, "X-User", "alice", "If-None-Match", etag(monitor), "Prefer", "wait=1")
                        .statusCode())
                .as("a long-poll with nothing new")
                .isEqualTo(304);
        assertThat(send("HEAD", slow, null, "X-User", "alice").statusCode()).isEqualTo(202);
        assertThat(send("GET", slow, null, "X-User", "alice", "If-None-Match", "not-quoted")
                        .statusCode())
                .isEqualTo(400);
        assertThat(send("GET", slow + "/result", null, "X-User", "alice").statusCode())
                .isEqualTo(409);
        assertThat(send("GET", slow, null, "X-User", "bob").statusCode())
                .as("another owner's")
                .isEqualTo(404);

        assertThat(send("DELETE", waiting, null, "X-User", "alice", "If-Match", "\"stale\"")
                        .statusCode())
                .isEqualTo(412);
        assertThat(send("DELETE", waiting, null, "X-User", "alice", "If-Match", "stale")
                        .statusCode())
                .isEqualTo(400);
        assertThat(send("DELETE", waiting, null, "X-User", "alice").statusCode())
                .as("queued: canceled")
                .isEqualTo(200);
        assertThat(send("DELETE", slow, null, "X-User", "alice").statusCode())
                .as("running: requested")
                .isEqualTo(202);
        HttpResponse<byte[]> canceled = send("GET", slow, null, "X-User", "alice", "Prefer", "wait=10");
        for (int i = 0; canceled.statusCode() == 202 && i < 100; i++) {
            canceled = send("GET", slow, null, "X-User", "alice", "Prefer", "wait=10");
        }
        assertThat(canceled.statusCode()).isEqualTo(200);
        assertThat(send("GET", slow + "/result", null, "X-User", "alice").statusCode())
                .as("no result")
                .isEqualTo(409);
        assertThat(send("DELETE", slow, null, "X-User", "alice").statusCode())
                .as("final: removed")
                .isEqualTo(204);
        assertThat(send("GET", slow, null, "X-User", "alice").statusCode()).isEqualTo(404);
        assertThat(send("HEAD", slow + "/result", null, "X-User", "alice").statusCode())
                .isEqualTo(404);
        assertThat(send("DELETE", slow, null, "X-User", "alice").statusCode()).isEqualTo(404);

        // a job that finishes while the client waits, its result, and one that fails
        HttpResponse<byte[]> echoed = submit("/api/echo", "{\"text\":\"hi\"}", "Prefer", "wait=10");
        assertThat(echoed.statusCode()).isEqualTo(200);
        String echo = jobPath(echoed);
        assertThat(send("GET", echo, null, "X-User", "alice").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> result = send("GET", echo + "/result", null, "X-User", "alice");
        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(send("GET", echo + "/result", null, "X-User", "alice", "If-None-Match", etag(result))
                        .statusCode())
                .isEqualTo(304);
        assertThat(send("HEAD", echo + "/result", null, "X-User", "alice").statusCode())
                .isEqualTo(200);
        assertThat(send("HEAD", echo, null, "X-User", "alice").statusCode()).isEqualTo(200);
        assertThat(submit("/api/echo", "{\"text\":\"hi\"}", "Prefer", "respond-async")
                        .statusCode())
                .isEqualTo(202);
        HttpResponse<byte[]> failed = submit("/api/fail", "{\"text\":\"x\"}", "Prefer", "wait=10");
        assertThat(failed.statusCode()).isEqualTo(200);
        assertThat(send("GET", jobPath(failed) + "/result", null, "X-User", "alice")
                        .statusCode())
                .isEqualTo(409);

        // bad input, nothing queued
        assertThat(submit("/api/echo", "{\"text\":").statusCode()).isEqualTo(400);
        assertThat(submit("/api/echo", "{\"nope\":1}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/echo", "{}", "Content-Type", "text/plain").statusCode())
                .isEqualTo(415);
        assertThat(send("POST", "/api/echo", "{}", "Content-Type", "application/json", "Content-Encoding", "gzip")
                        .statusCode())
                .isEqualTo(415);
        assertThat(submit("/api/echo", "{\"text\":\"" + "x".repeat(2000) + "\"}")
                        .statusCode())
                .isEqualTo(413);
        assertThat(send(
                                "POST",
                                "/api/echo",
                                "{\"text\":\"a\"}",
                                "Content-Type",
                                "application/json",
                                "Idempotency-Key",
                                "\"k1\"")
                        .statusCode())
                .as("an anonymous key")
                .isEqualTo(400);
        assertThat(submit("/api/echo", "{\"text\":\"a\"}", "Idempotency-Key", "\"k1\"")
                        .statusCode())
                .isIn(200, 202);
        assertThat(submit("/api/echo", "{\"text\":\"a\"}", "Idempotency-Key", "\"k1\"")
                        .statusCode())
                .isIn(200, 202);
        assertThat(submit("/api/echo", "{\"text\":\"b\"}", "Idempotency-Key", "\"k1\"")
                        .statusCode())
                .isEqualTo(422);
        assertThat(submit("/api/echo", "{\"text\":\"a\"}", "Idempotency-Key", "no spaces allowed")
                        .statusCode())
                .isEqualTo(400);
        assertThat(send("POST", "/api/keyed", "{\"text\":\"a\"}", "Content-Type", "application/json")
                        .statusCode())
                .isEqualTo(403);
        assertThat(submit("/api/keyed", "{\"text\":\"a\"}").statusCode()).isEqualTo(400);
        assertThat(submit("/api/keyed", "{\"text\":\"a\"}", "Idempotency-Key", "\"k2\"")
                        .statusCode())
                .isIn(200, 202);

        // the list
        HttpResponse<byte[]> page = send("GET", "/jobs?limit=1", null, "X-User", "alice");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Link")).isPresent();
        assertThat(send("HEAD", "/jobs", null, "X-User", "alice").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/jobs?limit=0", null, "X-User", "alice").statusCode())
                .isEqualTo(400);
        assertThat(send("GET", "/jobs", null).statusCode()).as("anonymous").isEqualTo(403);

        // methods
        for (String path : new String[] {"/api/echo", "/api/keyed", "/jobs", echo, echo + "/result"}) {
            assertThat(send("OPTIONS", path, null).statusCode()).isEqualTo(204);
        }
        assertThat(send("GET", "/api/echo", null).statusCode()).isEqualTo(405);
        assertThat(send("PUT", echo, "{}").statusCode()).isEqualTo(405);
        assertThat(send("POST", "/jobs", "{}").statusCode()).isEqualTo(405);
        assertThat(send("DELETE", echo + "/result", null).statusCode()).isEqualTo(405);

        // the engine closing
        release.countDown();
        accepted.close();
        HttpResponse<byte[]> closing = submit("/api/echo", "{\"text\":\"late\"}");
        assertThat(closing.statusCode()).isEqualTo(503);
        assertThat(closing.headers().firstValue("Retry-After")).isPresent();

        assertThat(answers.seen())
                .containsEntry("POST /api/echo", Set.of(200, 202, 400, 413, 415, 422, 503))
                .containsEntry("GET /jobs/{id}", Set.of(200, 202, 304, 400, 404))
                .containsEntry("HEAD /jobs/{id}", Set.of(200, 202))
                .containsEntry("DELETE /jobs/{id}", Set.of(200, 202, 204, 400, 404, 412))
                .containsEntry("GET /jobs/{id}/result", Set.of(200, 304, 409))
                .containsEntry("HEAD /jobs/{id}/result", Set.of(200, 404))
                .containsEntry("GET /jobs", Set.of(200, 400, 403));
        assertThat(answers.seen().get("POST /api/keyed")).contains(400, 403);
        System.out.println("statuses seen, each documented: " + answers.seen());
    }
}
