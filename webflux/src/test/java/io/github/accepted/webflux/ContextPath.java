package io.github.accepted.webflux;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/**
 * Mounts an application under a context path, matching whole path segments: {@code /app} and
 * {@code /app/…}, never {@code /apple}. (Spring's {@code ContextPathCompositeHandler}, behind
 * Boot's {@code spring.webflux.base-path}, matches by string prefix and fails on {@code /apple}.)
 */
record ContextPath(String prefix, HttpHandler application) implements HttpHandler {

    @Override
    public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
        String path = request.getPath().value();
        if (!path.equals(prefix) && !path.startsWith(prefix + "/")) {
            response.setStatusCode(HttpStatus.NOT_FOUND);
            return response.setComplete();
        }
        return application.handle(request.mutate().contextPath(prefix).build(), response);
    }
}
