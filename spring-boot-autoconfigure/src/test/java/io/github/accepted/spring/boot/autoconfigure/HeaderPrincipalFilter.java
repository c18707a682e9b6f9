package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.conformance.Http;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request in Spring Security as the user named by the conformance kit's
 * principal header, as a gateway's pre-authentication would; no header, no authentication.
 */
final class HeaderPrincipalFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String name = request.getHeader(Http.PRINCIPAL_HEADER);
        if (name != null && !name.isEmpty()) {
            SecurityContextHolder.getContext()
                    .setAuthentication(new PreAuthenticatedAuthenticationToken(name, "n/a", List.of()));
        }
        chain.doFilter(request, response);
    }
}
