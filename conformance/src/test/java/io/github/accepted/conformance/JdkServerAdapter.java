package io.github.accepted.conformance;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpServer;
import io.github.accepted.protocol.AcceptedResponse;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.protocol.ProtocolRequest;
import io.github.accepted.protocol.RequestBody;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An adapter on the JDK's {@code com.sun.net.httpserver.HttpServer}: the worked example of
 * docs/adapters.md, and the kit's own non-servlet test. It shows the server's pitfalls:
 * <ul>
 *   <li>a {@code null} executor runs every exchange on the one dispatcher thread: give it a pool;</li>
 *   <li>a context {@code /app} matches any path that starts with the string {@code /app}, even
 *       {@code /apple}: check the segment yourself;</li>
 *   <li>{@code sendResponseHeaders(status, length)}: {@code -1} for no body, {@code 0} means
 *       chunked; for a {@code HEAD} or a {@code 304} pass {@code -1} and put the engine's
 *       {@code Content-Length} in the headers, which the server then keeps;</li>
 *   <li>{@code HttpPrincipal.getName()} is {@code realm:user}: the owner is {@code getUsername()};</li>
 *   <li>{@code sun.net.httpserver.maxRspTime}, when set, cuts every response that takes longer:
 *       keep it above the engine's {@code maxWait}.</li>
 * </ul>
 * In {@link Mode#ASYNC} the handler returns at once and the answer is written when the engine's
 * future completes, on the server's executor; in {@link Mode#BLOCKING} it calls the blocking
 * {@code engine.handle()}, the mistake {@link ProtocolDepthSuite} must catch: each waiting client
 * then holds one of the executor's threads.
 */
final class JdkServerAdapter implements HttpHandler {

    /** How the adapter waits for the engine. */
    enum Mode {
        ASYNC,
        BLOCKING
    }

    private final ProtocolEngine engine;
    private final Mode mode;
    private final String contextPath;
    private final ExecutorService executor;

    private JdkServerAdapter(ProtocolEngine engine, Mode mode, String contextPath, ExecutorService executor) {
        this.engine = engine;
        this.mode = mode;
        this.contextPath = contextPath;
        this.executor = executor;
    }

    /** Serves {@code engine} under {@code /app} on 127.0.0.1, port 0, with {@code threads} request threads. */
    static RunningServer start(ProtocolEngine engine, Mode mode, int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        server.setExecutor(executor);
        server.createContext("/app", new JdkServerAdapter(engine, mode, "/app", executor))
                .setAuthenticator(new TestPrincipal());
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/app");
        return new RunningServer() {
            @Override
            public URI baseUri() {
                return base;
            }

            @Override
            public void close() throws Exception {
                server.stop(0);
                executor.shutdownNow();
                executor.awaitTermination(10, TimeUnit.SECONDS);
            }
        };
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String rawPath = exchange.getRequestURI().getRawPath();
        if (!rawPath.equals(contextPath) && !rawPath.startsWith(contextPath + "/")) {
            exchange.sendResponseHeaders(404, -1); // /apple is not /app: the server matched a string prefix
            exchange.close();
            return;
        }
        String path = rawPath.length() == contextPath.length() ? "/" : rawPath.substring(contextPath.length());
        Map<String, List<String>> headers = new LinkedHashMap<>(exchange.getRequestHeaders());
        String query = exchange.getRequestURI().getRawQuery();
        HttpPrincipal principal = exchange.getPrincipal();
        ProtocolRequest request = new ProtocolRequest(
                exchange.getRequestMethod(),
                path,
                query == null ? "" : query,
                headers,
                principal == null ? "" : principal.getUsername(),
                origin(exchange),
                contextPath,
                exchange.getRemoteAddress().getAddress().getHostAddress(),
                RequestBody.ofStream(exchange.getRequestBody())); // blocking reads: this thread is ours
        if (mode == Mode.BLOCKING) {
            write(exchange, engine.handle(request));
            return;
        }
        var unused = engine.handleAsync(request) // the callback writes the answer: nothing to wait for
                .thenAcceptAsync(
                        reply -> {
                            try {
                                write(exchange, reply);
                            } catch (IOException e) {
                                exchange.close(); // the client went
                            }
                        },
                        executor);
    }

    private static String origin(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null || host.isEmpty()) {
            InetSocketAddress local = exchange.getLocalAddress();
            host = local.getHostString() + ":" + local.getPort();
        }
        return "http://" + (host.endsWith(":80") ? host.substring(0, host.length() - 3) : host);
    }

    private static void write(HttpExchange exchange, AcceptedResponse reply) throws IOException {
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        byte[] body = reply.body();
        // -1: no body (the engine's Content-Length of a HEAD or 304 stays); 0 would mean chunked
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        exchange.close();
    }

    /** The {@value Http#PRINCIPAL_HEADER} header as the exchange's principal, as the suites ask. */
    private static final class TestPrincipal extends Authenticator {
        @Override
        public Result authenticate(HttpExchange exchange) {
            String name = exchange.getRequestHeaders().getFirst(Http.PRINCIPAL_HEADER);
            return new Success(name == null ? null : new HttpPrincipal(name, "accepted-test"));
        }
    }
}
