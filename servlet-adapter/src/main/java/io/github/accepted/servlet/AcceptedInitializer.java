package io.github.accepted.servlet;

import io.github.accepted.protocol.ProtocolEngine;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Registers an {@link AcceptedServlet} for a {@link ProtocolEngine} when the container starts:
 * mapped to each submit route and to the jobs path, with async support on.
 *
 * <pre>{@code
 * // embedded Jetty 12 (ee10)
 * context.addServletContainerInitializer(new AcceptedInitializer(http));
 * // embedded Tomcat
 * context.addServletContainerInitializer(new AcceptedInitializer(http), null);
 * }</pre>
 * In a WAR, call {@link #register(ServletContext, ProtocolEngine, OwnerResolver)} from your own
 * {@code ServletContainerInitializer} or {@code ServletContextListener}.
 */
public final class AcceptedInitializer implements ServletContainerInitializer {

    /** The name the servlet is registered under. */
    public static final String SERVLET_NAME = "accepted";

    private final ProtocolEngine engine;
    private final OwnerResolver owners;

    /** Registers {@code engine}, with owners from the request's user principal. */
    public AcceptedInitializer(ProtocolEngine engine) {
        this(engine, OwnerResolver.userPrincipal());
    }

    /** Registers {@code engine}, with owners decided by {@code owners}. */
    public AcceptedInitializer(ProtocolEngine engine, OwnerResolver owners) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.owners = Objects.requireNonNull(owners, "owners");
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        register(context, engine, owners);
    }

    /**
     * Adds the servlet to {@code context} (which must still be initialising) and maps it.
     *
     * @return the registration, for further settings
     * @throws IllegalStateException if one of the paths is mapped to another servlet already
     */
    public static ServletRegistration.Dynamic register(
            ServletContext context, ProtocolEngine engine, OwnerResolver owners) {
        ServletRegistration.Dynamic registration =
                context.addServlet(SERVLET_NAME, new AcceptedServlet(engine, owners));
        if (registration == null) {
            throw new IllegalStateException("a servlet named " + SERVLET_NAME + " is registered already");
        }
        registration.setAsyncSupported(true);
        registration.setLoadOnStartup(1);
        Set<String> conflicts = registration.addMapping(mappings(engine).toArray(String[]::new));
        if (!conflicts.isEmpty()) {
            throw new IllegalStateException("paths mapped to another servlet already: " + conflicts);
        }
        context.setAttribute(AcceptedServlet.ENGINE_ATTRIBUTE, engine);
        return registration;
    }

    /** The servlet url-patterns that {@code engine} needs: each route, the jobs path and below. */
    public static List<String> mappings(ProtocolEngine engine) {
        List<String> patterns = new ArrayList<>(engine.routePaths());
        patterns.add(engine.jobsPath());
        patterns.add(engine.jobsPath() + "/*");
        return patterns;
    }
}
