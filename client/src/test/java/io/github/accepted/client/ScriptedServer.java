package io.github.accepted.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deliberately minimal HTTP server, written in the test with the JDK's HttpServer: it speaks
 * exactly what each test scripts (for example only {@code 202} + {@code Location}), so the client
 * is shown to work with servers that are not Accepted. Each request is recorded in {@link #requests}
 * as its method and path, with its {@code If-None-Match}, {@code Prefer} and {@code Authorization}
 * headers when it has them.
 */
final class ScriptedServer implements AutoCloseable {

    /** What one path answers, given how many times it was asked before. */
    interface Script {
        void answer(HttpExchange exchange, int call) throws IOException;
    }

    private final HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();

    ScriptedServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    ScriptedServer on(String path, Script script) {
        AtomicInteger calls = new AtomicInteger();
        server.createContext(path, exchange -> {
            String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
            String prefer = exchange.getRequestHeaders().getFirst("Prefer");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                            + (ifNoneMatch == null ? "" : " If-None-Match=" + ifNoneMatch)
                            + (prefer == null ? "" : " Prefer=" + prefer)
                            + (authorization == null ? "" : " Authorization=" + authorization));
            try {
                script.answer(exchange, calls.getAndIncrement());
            } finally {
                exchange.close();
            }
        });
        return this;
    }

    URI uri(String path) {
        return URI.create("http://" + server.getAddress().getHostString() + ":"
                + server.getAddress().getPort() + path);
    }

    static void reply(HttpExchange exchange, int status, String contentType, String body, String... headers) {
        try {
            for (int i = 0; i < headers.length; i += 2) {
                exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            if (contentType != null) {
                exchange.getResponseHeaders().add("Content-Type", contentType);
            }
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
