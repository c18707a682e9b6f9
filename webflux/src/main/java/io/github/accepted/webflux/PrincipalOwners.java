package io.github.accepted.webflux;

import java.security.Principal;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** {@link OwnerResolver#principal()}: the security context's authentication, else the exchange's principal. */
final class PrincipalOwners implements OwnerResolver {

    static final PrincipalOwners INSTANCE = new PrincipalOwners(securityPresent());

    private final boolean security;

    PrincipalOwners(boolean security) {
        this.security = security;
    }

    private static boolean securityPresent() {
        try {
            Class.forName(
                    "org.springframework.security.core.context.ReactiveSecurityContextHolder",
                    false,
                    PrincipalOwners.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public Mono<String> ownerOf(ServerWebExchange exchange) {
        Mono<String> principal = exchange.getPrincipal().flatMap(this::nameOf);
        return security ? Security.owner().switchIfEmpty(principal) : principal;
    }

    private Mono<String> nameOf(Principal principal) {
        if (security && Security.isAuthentication(principal)) {
            return Security.nameOf(principal);
        }
        String name = principal.getName();
        return name == null || name.isEmpty() ? Mono.empty() : Mono.just(name);
    }

    /** Spring Security's types, touched only when it is on the class path. */
    private static final class Security {

        static Mono<String> owner() {
            return ReactiveSecurityContextHolder.getContext()
                    .mapNotNull(SecurityContext::getAuthentication)
                    .flatMap(Security::nameOf);
        }

        static boolean isAuthentication(Principal principal) {
            return principal instanceof Authentication;
        }

        static Mono<String> nameOf(Principal principal) {
            Authentication authentication = (Authentication) principal;
            if (authentication instanceof AnonymousAuthenticationToken || !authentication.isAuthenticated()) {
                return Mono.empty();
            }
            String name = authentication.getName();
            return name == null || name.isEmpty() ? Mono.empty() : Mono.just(name);
        }
    }
}
