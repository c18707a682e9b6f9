package io.github.accepted.webflux;

import java.security.Principal;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Decides who owns the jobs a request creates and may see. An empty {@code Mono} (or an empty
 * name) means anonymous: such jobs are reachable by their id alone. Implementations must be
 * thread-safe and must not block.
 */
@FunctionalInterface
public interface OwnerResolver {

    /** The owner of {@code exchange}: a name, or empty for anonymous. */
    Mono<String> ownerOf(ServerWebExchange exchange);

    /**
     * The default. With Spring Security on the class path, the name of the authenticated
     * {@code Authentication} in the {@code ReactiveSecurityContextHolder} ({@code getName()}: for a
     * username-password login, the username); an {@code AnonymousAuthenticationToken} or an
     * unauthenticated one counts as anonymous. Without Spring Security, or with no security context,
     * the name of {@link ServerWebExchange#getPrincipal()} ({@link Principal#getName()}).
     */
    static OwnerResolver principal() {
        return PrincipalOwners.INSTANCE;
    }
}
