package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.servlet.AcceptedInitializer;
import io.github.accepted.servlet.AcceptedServlet;
import io.github.accepted.servlet.OwnerResolver;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * On a servlet web server (embedded Tomcat or Jetty): Accepted's servlet, async-supported, on
 * every route path, the jobs path and below it. Filters registered for all paths (Spring
 * Security's among them) run before it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ServletConfiguration {

    /** The bean name of the servlet registration; define a bean of this name to replace it. */
    static final String REGISTRATION = "acceptedServletRegistration";

    @Bean(REGISTRATION)
    @ConditionalOnMissingBean(name = REGISTRATION)
    ServletRegistrationBean<AcceptedServlet> acceptedServletRegistration(ProtocolEngine engine, OwnerResolver owners) {
        ServletRegistrationBean<AcceptedServlet> registration = new ServletRegistrationBean<>(
                new AcceptedServlet(engine, owners), paths(engine).toArray(String[]::new));
        registration.setName(AcceptedInitializer.SERVLET_NAME);
        registration.setAsyncSupported(true);
        registration.setLoadOnStartup(1);
        return registration;
    }

    /**
     * Keeps Spring Security's cache headers off Accepted's answers: it writes {@code Pragma} and
     * {@code Expires} on a response that has no {@code Cache-Control} when its filter returns,
     * which for a long-poll is before the answer exists. Accepted sets its own on every answer.
     */
    @Bean
    @ConditionalOnMissingBean(name = "acceptedCacheControlFilter")
    FilterRegistrationBean<CacheControlFilter> acceptedCacheControlFilter(ProtocolEngine engine) {
        FilterRegistrationBean<CacheControlFilter> registration =
                new FilterRegistrationBean<>(new CacheControlFilter());
        registration.setUrlPatterns(paths(engine));
        registration.setAsyncSupported(true);
        registration.setOrder(Ordered.LOWEST_PRECEDENCE);
        return registration;
    }

    /**
     * The servlet's url-patterns: those {@link AcceptedInitializer#mappings} gives, and each route
     * path with a trailing slash, so that Accepted answers it ({@code 404} problem) rather than
     * Spring MVC.
     */
    static List<String> paths(ProtocolEngine engine) {
        List<String> paths = new ArrayList<>(AcceptedInitializer.mappings(engine));
        for (String route : engine.routePaths()) {
            paths.add(route + "/");
        }
        return paths;
    }
}
