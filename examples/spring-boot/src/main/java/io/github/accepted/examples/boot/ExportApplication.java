package io.github.accepted.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with one slow endpoint, {@code POST /api/exports}, turned into an
 * Accepted job by the starter: the handler is {@link ExportJob}, users come from
 * {@link SecurityConfiguration}, and jobs live in PostgreSQL when {@code JDBC_URL} is given
 * ({@link DatabaseConfiguration}), else in memory.
 */
@SpringBootApplication
public class ExportApplication {

    /** Starts the application on {@code $PORT} (default 8080). */
    public static void main(String[] args) {
        SpringApplication.run(ExportApplication.class, args);
    }
}
