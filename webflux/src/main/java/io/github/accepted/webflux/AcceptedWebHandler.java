package io.github.accepted.webflux;

import io.github.accepted.protocol.AcceptedResponse;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.protocol.ProtocolRequest;
import io.github.accepted.protocol.RequestBody;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Serves a {@link ProtocolEngine} from Spring WebFlux: translates each exchange into a
 * {@link ProtocolRequest} and writes the {@link AcceptedResponse} back, deciding nothing itself.
 *
 * <p>Without Spring Boot, on Reactor Netty:
 * <pre>{@code
 * HttpHandler http = WebHttpHandlerBuilder.webHandler(new AcceptedWebHandler(engine))
 *     .filter(authentication)                          // sets the exchange's principal
 *     .build();
 * DisposableServer server = HttpServer.create().port(8080)
 *     .handle(new ReactorHttpHandlerAdapter(http)).bindNow();
 * }</pre>
 * In an application with other endpoints, map the engine's paths with {@link AcceptedRoutes#of}.
 *
 * <p>No thread waits on a client. The engine is called on {@code blocking}, a scheduler whose
 * threads may block (its store may wait for a database), never on an event loop; a submission's
 * body is delivered to the engine as a {@link RequestBody#ofPublisher publisher}, buffer by
 * buffer as the engine asks, and a {@code Prefer: wait} ends when the engine's future completes,
 * without a thread held meanwhile. Owners come from {@link OwnerResolver#principal()} unless
 * another resolver is given. Thread-safe.
 */
public final class AcceptedWebHandler implements WebHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptedWebHandler.class);
    private static final AcceptedResponse INTERNAL_ERROR = new AcceptedResponse(
            500,
            Map.of(
                    "Content-Type",
                    "application/problem+json",
                    "Cache-Control",
                    "no-store",
                    "X-Content-Type-Options",
                    "nosniff"),
            ("{\"type\":\"urn:accepted:problem:internal\",\"title\":\"Internal server error\",\"status\":500,"
                            + "\"detail\":\"The server could not answer this request. Its log has the details.\"}")
                    .getBytes(StandardCharsets.UTF_8));

    private final ProtocolEngine engine;
    private final OwnerResolver owners;
    private final Scheduler blocking;

    /** Serves {@code engine}, owners from the principal, the engine called on {@link Schedulers#boundedElastic()}. */
    public AcceptedWebHandler(ProtocolEngine engine) {
        this(engine, OwnerResolver.principal(), Schedulers.boundedElastic());
    }

    /**
     * Serves {@code engine} with owners decided by {@code owners}, the engine called (and the
     * request body delivered) on {@code blocking}, a scheduler whose threads may block.
     */
    public AcceptedWebHandler(ProtocolEngine engine, OwnerResolver owners, Scheduler blocking) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.owners = Objects.requireNonNull(owners, "owners");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
    }

    /** The engine served. */
    public ProtocolEngine engine() {
        return engine;
    }

    /** Answers one exchange; the returned {@code Mono} completes once the answer is written. */
    @Override
    public Mono<Void> handle(ServerWebExchange exchange) {
        return answer(exchange).flatMap(reply -> write(reply, exchange.getResponse()));
    }

    /**
     * The engine's answer to {@code exchange}, once it has one; the request's body is read on the
     * way. If the request cannot be translated (the owner resolver failed, say), a {@code 500}
     * problem that reveals nothing, the failure logged.
     */
    Mono<AcceptedResponse> answer(ServerWebExchange exchange) {
        return owners.ownerOf(exchange)
                .defaultIfEmpty("")
                .map(owner -> translate(exchange, owner))
                .publishOn(blocking)
                .flatMap(request -> Mono.fromFuture(engine.handleAsync(request), true))
                .onErrorResume(error -> {
                    LOG.error(
                            "could not translate {} {}",
                            exchange.getRequest().getMethod(),
                            exchange.getRequest().getPath(),
                            error);
                    return Mono.just(INTERNAL_ERROR);
                });
    }

    private ProtocolRequest translate(ServerWebExchange exchange, String owner) {
        ServerHttpRequest request = exchange.getRequest();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.getHeaders().forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
        String query = request.getURI().getRawQuery();
        return new ProtocolRequest(
                request.getMethod().name(),
                request.getPath().pathWithinApplication().value(),
                query == null ? "" : query,
                headers,
                owner,
                origin(request.getURI()),
                request.getPath().contextPath().value(),
                remoteAddress(request),
                RequestBody.ofPublisher(WebFluxBody.of(request.getBody(), blocking)));
    }

    /** {@code scheme://host[:port]} of the URI the server built from the request, the default port left out. */
    static String origin(URI uri) {
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        int port = uri.getPort();
        boolean defaultPort =
                port <= 0 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    private static String remoteAddress(ServerHttpRequest request) {
        InetSocketAddress peer = request.getRemoteAddress();
        if (peer == null) {
            return "";
        }
        return peer.getAddress() != null ? peer.getAddress().getHostAddress() : peer.getHostString();
    }

    /**
     * Writes the answer as given: status, every header (a {@code HEAD}'s {@code Content-Length} is
     * the {@code GET}'s), the body if any.
     */
    static Mono<Void> write(AcceptedResponse reply, ServerHttpResponse response) {
        response.setStatusCode(HttpStatusCode.valueOf(reply.status()));
        reply.headers().forEach(response.getHeaders()::set);
        byte[] body = reply.body();
        if (body.length == 0) {
            return response.setComplete();
        }
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(
                Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
    }
}
