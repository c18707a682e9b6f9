package io.github.accepted.spring.boot.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.github.accepted.JobHandler;
import io.github.accepted.spring.boot.AcceptedJob;
import io.github.accepted.spring.boot.AcceptedObjectMapperCustomizer;
import io.github.accepted.spring.boot.security.AcceptedRequestMatcher;
import io.github.accepted.spring.boot.security.ProblemSecurityHandler;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Component;

/**
 * A Spring Boot application as a user writes it: handler beans, two users with HTTP Basic, the
 * documented security settings for Accepted's paths, and a Jackson 2 module added to Accepted's
 * strict mapper. Everything else comes from the starter.
 */
@SpringBootApplication
class StarterApplication {

    /** Rows to render; price in the form {@code "12.50 EUR"} (read by the customizer's module). */
    record RowsRequest(int rows, String name, Money price) {}

    /** An amount and its currency. */
    record Money(BigDecimal amount, String currency) {}

    /** Gates the {@code wait} jobs: a job runs until its gate opens. */
    static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

    /** What a {@code wait} job waits for. */
    record Gate(String gate) {}

    /** A bean the handlers use. */
    @Component
    static class Greeter {
        String greet(String who) {
            return "hello " + who;
        }
    }

    @Bean
    @AcceptedJob(type = "rows", route = "POST /api/rows")
    JobHandler<RowsRequest, Map<String, Object>> rows() {
        return (request, context) -> Map.of("rows", request.rows(), "name", request.name());
    }

    @Bean
    @AcceptedJob(type = "whoami", route = "POST /api/whoami")
    JobHandler<Map<String, Object>, Map<String, String>> whoami(Greeter greeter) {
        return (input, context) ->
                Map.of("greeting", greeter.greet(context.owner().orElse("stranger")));
    }

    /** Runs until its gate opens. */
    @Component
    @AcceptedJob(type = "wait", route = "POST /api/wait")
    static class WaitJob implements JobHandler<Gate, String> {
        @Override
        public String handle(Gate input, io.github.accepted.JobContext context) throws InterruptedException {
            context.progress(50, "waiting at the gate");
            if (!GATES.computeIfAbsent(input.gate(), g -> new CountDownLatch(1)).await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
            return "opened";
        }
    }

    @Bean
    AcceptedObjectMapperCustomizer money() {
        SimpleModule module = new SimpleModule("money");
        module.addDeserializer(Money.class, new JsonDeserializer<>() {
            @Override
            public Money deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                String[] parts = parser.getValueAsString("").split(" ", -1);
                if (parts.length != 2) {
                    return (Money) context.handleWeirdStringValue(Money.class, parser.getText(), "like 12.50 EUR");
                }
                return new Money(new BigDecimal(parts[0]), parts[1]);
            }
        });
        return builder -> builder.addModule(module);
    }

    @Bean
    SecurityFilterChain security(HttpSecurity http, AcceptedRequestMatcher accepted, ProblemSecurityHandler problems)
            throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .httpBasic(basic -> basic.authenticationEntryPoint(problems))
                .exceptionHandling(
                        errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .csrf(csrf -> csrf.ignoringRequestMatchers(accepted))
                .build();
    }

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("alice")
                        .password("{noop}alice-secret")
                        .roles("USER")
                        .build(),
                User.withUsername("bob")
                        .password("{noop}bob-secret")
                        .roles("USER")
                        .build());
    }
}
