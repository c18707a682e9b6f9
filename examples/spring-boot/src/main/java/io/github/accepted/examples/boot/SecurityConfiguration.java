package io.github.accepted.examples.boot;

import io.github.accepted.spring.boot.security.AcceptedRequestMatcher;
import io.github.accepted.spring.boot.security.ProblemSecurityHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * HTTP Basic with two users. Accepted's paths need a user; each user sees only their own jobs
 * (the starter takes the owner from the {@code Authentication}). API clients send no CSRF token,
 * so CSRF is off for Accepted's paths only; refusals are problem+json like every Accepted error.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    SecurityFilterChain security(HttpSecurity http, AcceptedRequestMatcher accepted, ProblemSecurityHandler problems)
            throws Exception {
        return http.authorizeHttpRequests(
                        requests -> requests.requestMatchers("/actuator/health", "/actuator/health/**")
                                .permitAll()
                                .requestMatchers(accepted)
                                .authenticated()
                                .anyRequest()
                                .authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint(problems))
                .exceptionHandling(
                        errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.ignoringRequestMatchers(accepted))
                .build();
    }

    /** Demo users: {@code alice} and {@code bob}, passwords from {@code example.password.*}. */
    @Bean
    UserDetailsService users(
            @Value("${example.password.alice}") String alice, @Value("${example.password.bob}") String bob) {
        return new InMemoryUserDetailsManager(
                User.withUsername("alice")
                        .password("{noop}" + alice)
                        .roles("USER")
                        .build(),
                User.withUsername("bob").password("{noop}" + bob).roles("USER").build());
    }
}
