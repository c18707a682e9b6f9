package io.github.accepted.spring.boot.openapi;

import io.github.accepted.JobHandler;
import io.github.accepted.spring.boot.AcceptedJob;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** A servlet application with one handler bean, everything open; the starter serves its OpenAPI document. */
@SpringBootConfiguration
@EnableAutoConfiguration
class OpenApiApplication {

    /** Rows to render. */
    record RowsRequest(int rows, String name) {}

    @Bean
    @AcceptedJob(type = "rows", route = "POST /api/rows")
    JobHandler<RowsRequest, Map<String, Object>> rows() {
        return (request, context) -> Map.of("rows", request.rows());
    }

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .build();
    }
}
