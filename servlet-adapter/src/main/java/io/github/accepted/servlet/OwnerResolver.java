package io.github.accepted.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;

/**
 * Decides who owns the jobs a request submits and which jobs it may see.
 *
 * <p>Return the empty string for an anonymous caller: anonymous jobs are reachable by their
 * (unguessable) id alone, and cannot be listed. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface OwnerResolver {

    /** The owner of {@code request}; never null, empty when anonymous. */
    String ownerOf(HttpServletRequest request);

    /** The default: the name of {@link HttpServletRequest#getUserPrincipal()}, or anonymous. */
    static OwnerResolver userPrincipal() {
        return request -> {
            Principal principal = request.getUserPrincipal();
            return principal == null || principal.getName() == null ? "" : principal.getName();
        };
    }
}
