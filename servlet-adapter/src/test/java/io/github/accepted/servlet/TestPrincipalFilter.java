package io.github.accepted.servlet;

import io.github.accepted.conformance.Http;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Set;

/**
 * Stands in for a container's authentication in tests: the {@value Http#PRINCIPAL_HEADER}
 * header becomes the request's user principal, which the adapter's default owner resolution reads.
 */
final class TestPrincipalFilter extends HttpFilter {

    /** Registers the filter on every path, portably (Jetty and Tomcat alike). */
    static final ServletContainerInitializer INITIALIZER = (Set<Class<?>> classes, ServletContext context) -> {
        FilterRegistration.Dynamic filter = context.addFilter("test-principal", new TestPrincipalFilter());
        filter.setAsyncSupported(true);
        filter.addMappingForUrlPatterns(null, false, "/*");
    };

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String name = request.getHeader(Http.PRINCIPAL_HEADER);
        if (name == null) {
            chain.doFilter(request, response);
            return;
        }
        Principal principal = () -> name;
        chain.doFilter(
                new HttpServletRequestWrapper(request) {
                    @Override
                    public Principal getUserPrincipal() {
                        return principal;
                    }

                    @Override
                    public String getRemoteUser() {
                        return name;
                    }
                },
                response);
    }
}
