package io.github.accepted.spring.boot.reactive;

import io.github.accepted.JobContext;
import io.github.accepted.JobHandler;
import io.github.accepted.spring.boot.AcceptedJob;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A WebFlux application as a user writes it: handler beans, one route of its own, HTTP Basic with
 * one user and anonymous access allowed. Accepted's routes come from the starter.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ReactiveApplication {

    /** Rows to render. */
    record RowsRequest(int rows, String name) {}

    /** Lets the {@code gated} job finish. */
    static final CountDownLatch GATE = new CountDownLatch(1);

    /** Counted down once the {@code gated} job runs and has reported its progress. */
    static final CountDownLatch STARTED = new CountDownLatch(1);

    @Bean
    @AcceptedJob(type = "rows", route = "POST /api/rows")
    JobHandler<RowsRequest, Map<String, Object>> rows() {
        return (request, context) ->
                Map.of("rows", request.rows(), "owner", context.owner().orElse("anonymous"));
    }

    @Bean
    @AcceptedJob(type = "gated", route = "POST /api/gated")
    JobHandler<Map<String, Object>, String> gated() {
        return (input, context) -> gated(context);
    }

    private static String gated(JobContext context) throws InterruptedException {
        context.progress(50, "waiting at the gate");
        STARTED.countDown();
        if (!GATE.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gate never opened");
        }
        return "opened";
    }

    /** The application's own route, beside Accepted's. */
    @Bean
    RouterFunction<ServerResponse> hello() {
        return RouterFunctions.route()
                .GET("/hello", request -> ServerResponse.ok().bodyValue("hi"))
                .build();
    }

    @Bean
    SecurityWebFilterChain security(ServerHttpSecurity http) {
        return http.authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
                .httpBasic(basic -> {})
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .build();
    }

    @Bean
    MapReactiveUserDetailsService users() {
        return new MapReactiveUserDetailsService(User.withUsername("alice")
                .password("{noop}alice-secret")
                .roles("USER")
                .build());
    }
}
