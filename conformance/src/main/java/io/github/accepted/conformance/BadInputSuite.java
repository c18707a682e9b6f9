package io.github.accepted.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.accepted.conformance.Http.Reply;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A catalogue of malformed and hostile requests, over a real socket. Each must get its documented
 * 4xx as {@code application/problem+json}, never a 5xx, never a trace of the server's insides,
 * and none may queue a job. Every adapter extends it, whatever its server or framework, as it
 * extends {@link HttpConformanceSuite}, {@link ProtocolDepthSuite} and {@link ReliabilitySuite}.
 *
 * <p>Requests the server refuses before the adapter sees them (an encoded NUL or ambiguous
 * separator in the path, a malformed request line or header) get the server's own 400 and are
 * not listed here.
 */
public abstract class BadInputSuite extends ConformanceHarness {

    /** One hostile request and the answer it must get. */
    @SuppressWarnings("ArrayRecordComponent") // a fixed catalogue of requests, never compared with equals
    record Case(
            String name,
            String method,
            String path,
            @Nullable String contentType,
            byte @Nullable [] body,
            int status,
            String type,
            String... headers) {}

    private static Case post(String name, String json, String type) {
        return new Case(
                name, "POST", "/api/echo", "application/json", json.getBytes(StandardCharsets.UTF_8), 400, type);
    }

    private static Case bad(String name, String json) {
        return post(name, json, "invalid-input");
    }

    static List<Case> catalogue(String jobPath) {
        List<Case> cases = new ArrayList<>();
        // malformed and truncated JSON
        cases.add(bad("open brace", "{"));
        cases.add(bad("truncated value", "{\"text\":"));
        cases.add(bad("truncated string", "{\"text\":\"abc"));
        cases.add(bad("trailing comma", "{\"text\":\"x\",}"));
        cases.add(bad("single quotes", "{'text':'x'}"));
        cases.add(bad("bad escape", "{\"text\":\"\\q\"}"));
        cases.add(bad("extra closing brace", "{\"text\":\"x\"}}"));
        cases.add(bad("lone bracket", "["));
        cases.add(bad("bare word", "nul"));
        cases.add(bad("missing comma", "{\"text\":\"x\" \"b\":1}"));
        cases.add(bad("two documents", "{\"text\":\"x\"} {\"text\":\"y\"}"));
        cases.add(bad("comment", "{\"text\":\"x\" /* hi */}"));
        cases.add(bad("NaN", "{\"text\":NaN}"));
        // wrong types and shapes
        cases.add(bad("number for string", "{\"text\":1}"));
        cases.add(bad("boolean for string", "{\"text\":true}"));
        cases.add(bad("array for string", "{\"text\":[]}"));
        cases.add(bad("object for string", "{\"text\":{}}"));
        cases.add(bad("null for required", "{\"text\":null}"));
        cases.add(bad("array body", "[]"));
        cases.add(bad("string body", "\"x\""));
        cases.add(bad("number body", "42"));
        cases.add(bad("null body", "null"));
        cases.add(bad("missing field", "{}"));
        cases.add(bad("unknown field", "{\"text\":\"x\",\"admin\":true}"));
        cases.add(bad("refused by validate", "{\"text\":\"invalid\"}"));
        cases.add(bad("prototype pollution attempt", "{\"__proto__\":{\"admin\":true},\"text\":\"x\"}"));
        cases.add(bad("class name injection", "{\"@class\":\"java.lang.Runtime\",\"text\":\"x\"}"));
        // huge and deep
        cases.add(bad("deep arrays", "{\"text\":" + "[".repeat(500) + "]".repeat(500) + "}"));
        cases.add(bad("deep objects", "{\"a\":".repeat(200) + "1" + "}".repeat(200)));
        cases.add(bad("very long number", "{\"text\":" + "9".repeat(5000) + "}"));
        cases.add(new Case(
                "invalid UTF-8",
                "POST",
                "/api/echo",
                "application/json",
                new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                400,
                "invalid-input"));
        cases.add(new Case("empty body", "POST", "/api/echo", "application/json", new byte[0], 400, "invalid-input"));
        cases.add(new Case(
                "body over 1 MiB",
                "POST",
                "/api/echo",
                "application/json",
                ("{\"text\":\"" + "x".repeat(1 << 21) + "\"}").getBytes(StandardCharsets.UTF_8),
                413,
                "payload-too-large"));
        // content types
        for (String type : new String[] {
            "text/plain",
            "application/xml",
            "application/json; charset=iso-8859-1",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded",
            "application/jsonp"
        }) {
            cases.add(new Case(
                    "content type " + type,
                    "POST",
                    "/api/echo",
                    type,
                    "{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                    415,
                    "unsupported-media-type"));
        }
        cases.add(new Case(
                "no content type",
                "POST",
                "/api/echo",
                null,
                "{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                415,
                "unsupported-media-type"));
        // content codings the server does not decode
        for (String coding : new String[] {"gzip", "deflate", "br", "identity, gzip", "x-unknown"}) {
            cases.add(new Case(
                    "content encoding " + coding,
                    "POST",
                    "/api/echo",
                    "application/json",
                    "{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                    415,
                    "unsupported-media-type",
                    "Content-Encoding",
                    coding));
        }
        // not UTF-8, or with a byte order mark (RFC 8259 §8.1), whatever a parser could guess
        String json = "{\"text\":\"x\"}";
        cases.add(encoded(
                "UTF-8 byte order mark",
                new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                json.getBytes(StandardCharsets.UTF_8)));
        cases.add(encoded(
                "UTF-16BE byte order mark",
                new byte[] {(byte) 0xFE, (byte) 0xFF},
                json.getBytes(StandardCharsets.UTF_16BE)));
        cases.add(encoded(
                "UTF-16LE byte order mark",
                new byte[] {(byte) 0xFF, (byte) 0xFE},
                json.getBytes(StandardCharsets.UTF_16LE)));
        cases.add(encoded("UTF-16LE without a byte order mark", new byte[0], json.getBytes(StandardCharsets.UTF_16LE)));
        cases.add(encoded(
                "UTF-32BE byte order mark",
                new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF},
                json.getBytes(java.nio.charset.Charset.forName("UTF-32BE"))));
        cases.add(encoded(
                "UTF-32LE byte order mark",
                new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0},
                json.getBytes(java.nio.charset.Charset.forName("UTF-32LE"))));
        // wrong methods
        for (String[] m : new String[][] {
            {"GET", "/api/echo"},
            {"PUT", "/api/echo"},
            {"DELETE", "/api/echo"},
            {"PATCH", jobPath},
            {"POST", jobPath},
            {"PUT", "/jobs"},
            {"DELETE", "/jobs"},
            {"POST", jobPath + "/result"},
            {"DELETE", jobPath + "/result"},
            // methods are case-sensitive (RFC 9110 §9.1): these are not GET, POST or DELETE
            {"delete", jobPath},
            {"get", jobPath},
            {"post", "/api/echo"},
            {"Post", "/api/echo"}
        }) {
            cases.add(new Case(
                    m[0] + " " + m[1],
                    m[0],
                    m[1],
                    "application/json",
                    m[0].equalsIgnoreCase("GET") || m[0].equalsIgnoreCase("DELETE")
                            ? null
                            : "{}".getBytes(StandardCharsets.UTF_8),
                    405,
                    "method-not-allowed"));
        }
        // invalid job ids
        for (String id : new String[] {
            "A".repeat(23),
            "A".repeat(21),
            "A".repeat(4000),
            "AAAAAAAAAAAAAAAAAAAA%3D%3D",
            "%C3%A9AAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAB",
            "null",
            "AAAAAAAAAAAAAAAAAAAAAA%20"
        }) {
            cases.add(new Case(
                    "job id " + id.substring(0, Math.min(24, id.length())),
                    "GET",
                    "/jobs/" + id,
                    null,
                    null,
                    404,
                    "not-found"));
        }
        cases.add(new Case("unknown sub-resource", "GET", jobPath + "/secrets", null, null, 404, "not-found"));
        // malformed headers
        // (a malformed Prefer is not among them: RFC 7240 asks to ignore it, see ProtocolDepthSuite)
        cases.add(new Case(
                "If-Match unquoted", "DELETE", jobPath, null, null, 400, "invalid-request", "If-Match", "abc"));
        cases.add(new Case(
                "If-Match not comma-separated",
                "DELETE",
                jobPath,
                null,
                null,
                400,
                "invalid-request",
                "If-Match",
                "\"a\" \"b\""));
        cases.add(new Case(
                "If-Match weak and unterminated",
                "DELETE",
                jobPath,
                null,
                null,
                400,
                "invalid-request",
                "If-Match",
                "W/\"abc"));
        cases.add(new Case(
                "If-None-Match unquoted", "GET", jobPath, null, null, 400, "invalid-request", "If-None-Match", "abc"));
        cases.add(new Case(
                "If-None-Match unterminated",
                "GET",
                jobPath,
                null,
                null,
                400,
                "invalid-request",
                "If-None-Match",
                "\"abc"));
        cases.add(new Case(
                "If-None-Match not comma-separated",
                "GET",
                jobPath,
                null,
                null,
                400,
                "invalid-request",
                "If-None-Match",
                "\"a\" \"b\""));
        cases.add(keyed("Idempotency-Key empty", "\"\""));
        cases.add(keyed("Idempotency-Key too long", "\"" + "k".repeat(300) + "\""));
        cases.add(keyed("Idempotency-Key unescaped quote", "\"a\"b\""));
        cases.add(keyed("Idempotency-Key with spaces", "a b c"));
        cases.add(keyed("Idempotency-Key bad escape", "\"a\\nb\""));
        // query strings
        for (String query : new String[] {
            "limit=0",
            "limit=-5",
            "limit=many",
            "limit=101",
            "status=done",
            "status=queued,,running",
            "status=queued,",
            "cursor=garbage",
            "cursor=bm90LWEtY3Vyc29y",
            "status=%F0%9F%92%A5"
        }) {
            cases.add(new Case("list ?" + query, "GET", "/jobs?" + query, null, null, 400, "invalid-request"));
        }
        return cases;
    }

    private static Case encoded(String name, byte[] prefix, byte[] json) {
        byte[] body = java.util.Arrays.copyOf(prefix, prefix.length + json.length);
        System.arraycopy(json, 0, body, prefix.length, json.length);
        return new Case(name, "POST", "/api/echo", "application/json", body, 400, "invalid-input");
    }

    private static Case keyed(String name, String key) {
        return new Case(
                name,
                "POST",
                "/api/echo",
                "application/json",
                "{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                400,
                "invalid-idempotency-key",
                "Idempotency-Key",
                key);
    }

    @Test
    void everyHostileRequest_getsItsDocumented4xxProblem_neverA5xx_andQueuesNothing() throws Exception {
        App app = app();
        URI existing = app.submitted("echo", "{\"text\":\"the one real job\"}", ALICE);
        List<Case> cases = catalogue(
                existing.getPath().substring(app.server.baseUri().getPath().length()));
        assertThat(cases).hasSizeGreaterThanOrEqualTo(50);
        List<String> wrong = new ArrayList<>();
        for (Case c : cases) {
            Reply reply = http.send(c.method(), app.uri(c.path()), ALICE, c.contentType(), c.body(), c.headers());
            String body = reply.text();
            boolean ok = reply.status() == c.status()
                    && reply.header("Content-Type").orElse("").startsWith("application/problem+json")
                    && body.contains("\"type\":\"urn:accepted:problem:" + c.type() + "\"");
            if (!ok) {
                wrong.add(c.name() + " -> " + reply.status() + " " + body.substring(0, Math.min(160, body.length())));
            }
            assertThat(reply.status()).as(c.name()).isLessThan(500);
            assertNothingInternal(body);
        }
        assertThat(wrong).as("requests not answered as documented").isEmpty();
        assertThat(http.get(app.uri("/jobs"), ALICE).json().path("jobs"))
                .as("nothing was queued")
                .hasSize(1);
    }

    @Test
    void aChunkedBodyOverTheLimit_isReadAndDropped_then413_andNothingIsQueued() throws Exception {
        App app = app();
        byte[] json = ("{\"text\":\"" + "x".repeat(3 << 20) + "\"}").getBytes(StandardCharsets.UTF_8);
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build();
        java.net.http.HttpResponse<String> reply = client.send(
                java.net.http.HttpRequest.newBuilder(app.uri("/api/echo"))
                        .timeout(java.time.Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header(Http.PRINCIPAL_HEADER, ALICE)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.ByteArrayInputStream(json)))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).isEqualTo(413);
        assertThat(reply.body()).contains("urn:accepted:problem:payload-too-large");
        assertThat(http.get(app.uri("/jobs"), ALICE).json().path("jobs")).isEmpty();
    }

    @Test
    void contentEncodingIdentity_isNoCodingAtAll_soTheSubmitIsAccepted() throws Exception {
        App app = app();
        Reply reply = http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"x\"}", "Content-Encoding", "identity");
        assertThat(reply.status()).isEqualTo(202);
    }

    @Test
    void aContentEncodingIsRefusedWithAcceptEncoding_identity() throws Exception {
        App app = app();
        Reply reply = http.postJson(app.uri("/api/echo"), ALICE, "{\"text\":\"x\"}", "Content-Encoding", "gzip");
        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.header("Accept-Encoding")).contains("identity");
    }

    /**
     * Whether the server under test answers {@code Expect: 100-continue} itself, before the
     * adapter sees the request (Tomcat does, by default). Default: false, and then an oversized
     * {@code Content-Length} must get its {@code 413} with no {@code 100} before it.
     */
    protected boolean serverSendsContinueBeforeTheAdapter() {
        return false;
    }

    /**
     * Regression (issue 19): the engine read an oversized body to drop it, and reading is what
     * makes a server send {@code 100 Continue}, inviting the client to send megabytes for nothing.
     * The {@code 413} must come at once, without a body byte sent.
     */
    @Test
    void expectContinue_withAnOversizedContentLength_gets413AtOnce_withoutA100() throws Exception {
        App app = app();
        try (RawExchange exchange = new RawExchange(app.uri("/api/echo"), 2 << 20)) {
            String status = exchange.statusLine();
            if (serverSendsContinueBeforeTheAdapter() && status.startsWith("HTTP/1.1 100")) {
                status = exchange.statusLine();
            }
            assertThat(status).as("the answer, before any body byte was sent").startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void expectContinue_withAnAcceptableHead_gets100_thenTheAnswerToTheBody() throws Exception {
        App app = app();
        byte[] body = "{\"text\":\"continued\"}".getBytes(StandardCharsets.UTF_8);
        try (RawExchange exchange = new RawExchange(app.uri("/api/echo"), body.length)) {
            assertThat(exchange.statusLine()).startsWith("HTTP/1.1 100");
            exchange.send(body);
            String status;
            do {
                status = exchange.statusLine();
            } while (status.startsWith("HTTP/1.1 100"));
            assertThat(status).startsWith("HTTP/1.1 202");
        }
    }

    /** A submit head with {@code Expect: 100-continue} on a raw socket, the body held back. */
    private static final class RawExchange implements AutoCloseable {

        private final java.net.Socket socket;
        private final java.io.BufferedReader in;

        RawExchange(URI uri, long contentLength) throws java.io.IOException {
            socket = new java.net.Socket(uri.getHost(), uri.getPort());
            socket.setSoTimeout(20_000);
            String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\n" + Http.PRINCIPAL_HEADER + ": " + ALICE + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + contentLength + "\r\nExpect: 100-continue\r\n\r\n";
            send(head.getBytes(StandardCharsets.ISO_8859_1));
            in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        }

        void send(byte[] bytes) throws java.io.IOException {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }

        /** The next line that starts an answer, skipping the header lines of the one before. */
        String statusLine() throws java.io.IOException {
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.startsWith("HTTP/"));
            return String.valueOf(line);
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    @Test
    void anAcceptHeaderIsNotNegotiated_soEvenAMalformedOneGetsTheJsonAnswer() throws Exception {
        App app = app();
        URI monitor = app.submitted("echo", "{\"text\":\"x\"}", ALICE);
        for (String accept : new String[] {";;;", "text/html", "*/*;q=abc", "application/xml"}) {
            Reply reply = http.get(monitor, ALICE, "Accept", accept);
            assertThat(reply.status()).as(accept).isIn(200, 202);
            assertThat(reply.header("Content-Type").orElseThrow()).startsWith("application/json");
        }
    }
}
