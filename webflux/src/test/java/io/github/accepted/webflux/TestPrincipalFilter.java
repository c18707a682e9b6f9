package io.github.accepted.webflux;

import io.github.accepted.conformance.Http;
import java.security.Principal;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Stands in for authentication in tests: the {@value Http#PRINCIPAL_HEADER} header becomes the
 * exchange's principal, which the adapter's default owner resolution reads.
 */
final class TestPrincipalFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String name = exchange.getRequest().getHeaders().getFirst(Http.PRINCIPAL_HEADER);
        if (name == null) {
            return chain.filter(exchange);
        }
        Principal principal = () -> name;
        return chain.filter(exchange.mutate().principal(Mono.just(principal)).build());
    }
}
