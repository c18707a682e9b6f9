package io.github.accepted;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A real HTTP receiver on 127.0.0.1 for callback tests (the JDK's server): records every POST
 * and answers each with what {@code answer} says for the n-th call (from 1); a negative status
 * means "hang for that many milliseconds, then answer 200".
 */
final class Receiver implements AutoCloseable {

    @SuppressWarnings("ArrayRecordComponent") // a received call, read by the tests, never compared
    record Call(String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    private final HttpServer server;

    Receiver(int port, IntFunction<Integer> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        AtomicInteger count = new AtomicInteger();
        server.createContext("/", exchange -> handle(exchange, answer.apply(count.incrementAndGet())));
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    private void handle(HttpExchange exchange, int status) throws IOException {
        int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        try (InputStream in = exchange.getRequestBody()) {
            calls.add(new Call(
                    exchange.getRequestURI().toString(), Map.copyOf(exchange.getRequestHeaders()), in.readAllBytes()));
            if (status < 0) {
                Thread.sleep(-status);
                status = 200;
            }
            if (status >= 300 && status < 400) {
                exchange.getResponseHeaders().add("Location", "/redirected");
            }
            exchange.sendResponseHeaders(status, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            concurrent.decrementAndGet();
            exchange.close();
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
