package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.openapi.AcceptedOpenApiServlet;
import io.github.accepted.openapi.OpenApiDocument;
import io.github.accepted.openapi.OpenApiInfo;
import io.github.accepted.protocol.ProtocolEngine;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With accepted-openapi and {@code accepted.openapi.enabled=true}, on a servlet web server: the
 * OpenAPI 3.1 document of the engine's routes and job endpoints at {@code accepted.openapi.path},
 * built once at startup.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(AcceptedOpenApiServlet.class)
@ConditionalOnProperty(prefix = "accepted.openapi", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(OpenApiProperties.class)
class OpenApiConfiguration {

    /** The bean name of the document's servlet registration; define a bean of this name to replace it. */
    static final String REGISTRATION = "acceptedOpenApiRegistration";

    @Bean(REGISTRATION)
    @ConditionalOnMissingBean(name = REGISTRATION)
    ServletRegistrationBean<AcceptedOpenApiServlet> acceptedOpenApiRegistration(
            ProtocolEngine engine, OpenApiProperties properties) {
        if (!properties.getPath().startsWith("/")) {
            throw new IllegalStateException("accepted.openapi.path must start with /: " + properties.getPath());
        }
        OpenApiDocument document =
                OpenApiDocument.of(engine, OpenApiInfo.of(properties.getTitle(), properties.getVersion()));
        ServletRegistrationBean<AcceptedOpenApiServlet> registration =
                new ServletRegistrationBean<>(new AcceptedOpenApiServlet(document), properties.getPath());
        registration.setName("acceptedOpenApi");
        return registration;
    }
}
