package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;
import java.net.URI;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs a conformance test's engine in a Spring Boot application configured by the starter: the
 * kit builds the engine per test (its clock, bounds and handlers), so the application gets it as
 * its {@code Accepted} and {@code ProtocolEngine} beans (the starter backs off those two) and
 * configures everything else: servlet registration, owners from Spring Security, cache headers,
 * shutdown order.
 */
final class SpringServers {

    private SpringServers() {}

    static RunningServer start(ProtocolEngine engine, Class<?> container) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ConformanceApplication.class, container)
                .properties(
                        "server.port=0",
                        "server.address=127.0.0.1",
                        "server.servlet.context-path=/app",
                        "spring.main.banner-mode=off",
                        "spring.main.log-startup-info=false")
                .initializers(app -> {
                    app.getBeanFactory().registerSingleton("accepted", engine.accepted());
                    app.getBeanFactory().registerSingleton("acceptedProtocolEngine", engine);
                })
                .run();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        URI base = URI.create("http://127.0.0.1:" + port + "/app");
        return new RunningServer() {
            @Override
            public URI baseUri() {
                return base;
            }

            @Override
            public void close() {
                context.close();
            }
        };
    }
}
