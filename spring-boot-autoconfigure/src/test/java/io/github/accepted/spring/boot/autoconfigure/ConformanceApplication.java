package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.spring.boot.security.ProblemSecurityHandler;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * The application the conformance suites run against: auto-configuration only, plus Spring
 * Security that takes the kit's principal header as the authenticated user, and the documented
 * CSRF rule for Accepted's paths. The suites start one application per test (each test builds
 * its own engine), so only the auto-configurations that matter here are imported: the web
 * server, Spring MVC's dispatcher servlet, Spring Security, and Accepted's.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({
    PropertyPlaceholderAutoConfiguration.class,
    TomcatServletWebServerAutoConfiguration.class,
    JettyServletWebServerAutoConfiguration.class,
    DispatcherServletAutoConfiguration.class,
    SecurityAutoConfiguration.class,
    ServletWebSecurityAutoConfiguration.class,
    SecurityFilterAutoConfiguration.class,
    AcceptedAutoConfiguration.class
})
class ConformanceApplication {

    @Bean
    SecurityFilterChain conformanceSecurity(HttpSecurity http, ProblemSecurityHandler problems) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // the suites check the protocol, also on paths that are not Accepted's (which CSRF
                // would answer 403); the CSRF rule for Accepted's paths is SecurityAndErrorsTest's
                .csrf(csrf -> csrf.disable())
                .exceptionHandling(
                        errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterBefore(new HeaderPrincipalFilter(), AnonymousAuthenticationFilter.class)
                .build();
    }
}
