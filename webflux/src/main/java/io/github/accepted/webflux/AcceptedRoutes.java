package io.github.accepted.webflux;

import io.github.accepted.protocol.ProtocolEngine;
import java.util.Objects;
import java.util.Set;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The engine's endpoints as a WebFlux {@link RouterFunction}, beside an application's own: a bean
 * of it in a Spring WebFlux application, or {@code RouterFunctions.toHttpHandler(routes)} without
 * Spring Boot.
 *
 * <pre>{@code
 * @Bean
 * RouterFunction<ServerResponse> accepted(ProtocolEngine engine) {
 *     return AcceptedRoutes.of(engine);
 * }
 * }</pre>
 *
 * <p>It matches, by exact path inside the application (after any base path), every route of the
 * engine and its jobs path with everything under it ({@code /jobs}, {@code /jobs/…}), whatever
 * the method: the engine answers a wrong method with {@code 405} and its {@code Allow}. Nothing
 * else matches, so {@code /jobsearch} or {@code /api/reports/x} reach the application's other routes.
 */
public final class AcceptedRoutes {

    private AcceptedRoutes() {}

    /** The routes of {@code engine}, served by a default {@link AcceptedWebHandler}. */
    public static RouterFunction<ServerResponse> of(ProtocolEngine engine) {
        return of(new AcceptedWebHandler(engine));
    }

    /** The routes of the handler's engine, served by {@code handler} (its owners and scheduler). */
    public static RouterFunction<ServerResponse> of(AcceptedWebHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return RouterFunctions.route(matching(handler.engine()), request -> handler.answer(request.exchange())
                .flatMap(reply -> ServerResponse.status(reply.status())
                        .build((exchange, context) -> AcceptedWebHandler.write(reply, exchange.getResponse()))));
    }

    private static RequestPredicate matching(ProtocolEngine engine) {
        Set<String> routes = Set.copyOf(engine.routePaths());
        String jobs = engine.jobsPath();
        return request -> {
            String path = path(request);
            return routes.contains(path) || path.equals(jobs) || path.startsWith(jobs + "/");
        };
    }

    private static String path(ServerRequest request) {
        return request.requestPath().pathWithinApplication().value();
    }
}
