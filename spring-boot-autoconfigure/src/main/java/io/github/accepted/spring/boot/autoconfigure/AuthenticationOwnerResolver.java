package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.servlet.OwnerResolver;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The owner is the name of Spring Security's current {@link Authentication}; anonymous when
 * there is an anonymous or unauthenticated one. When Spring Security did not run for the request
 * (no authentication at all), the request's principal decides, as without Spring Security.
 * Read on the request's thread, when the job is submitted; handlers see it as
 * {@code JobContext#owner()}.
 */
final class AuthenticationOwnerResolver implements OwnerResolver {

    private static final OwnerResolver FALLBACK = OwnerResolver.userPrincipal();

    @Override
    public String ownerOf(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null) {
            return FALLBACK.ownerOf(request);
        }
        if (authentication instanceof AnonymousAuthenticationToken
                || !authentication.isAuthenticated()
                || authentication.getName() == null) {
            return "";
        }
        return authentication.getName();
    }
}
