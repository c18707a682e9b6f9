package io.github.accepted.spring.boot.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.accepted.JobHandler;
import io.github.accepted.spring.boot.AcceptedJob;
import io.github.accepted.spring.boot.autoconfigure.AcceptedAutoConfiguration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The document is served only with {@code accepted.openapi.enabled=true}. */
class OpenApiDisabledTest {

    @Configuration(proxyBeanMethods = false)
    static class Handlers {
        @Bean
        @AcceptedJob(type = "rows", route = "POST /api/rows")
        JobHandler<Map<String, Object>, String> rows() {
            return (input, context) -> "done";
        }
    }

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AcceptedAutoConfiguration.class))
            .withUserConfiguration(Handlers.class);

    @Test
    void noDocument_unlessEnabled() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("acceptedOpenApiRegistration"));
    }

    @Test
    void theDocumentsRegistration_whenEnabled_atTheConfiguredPath() {
        runner.withPropertyValues("accepted.openapi.enabled=true", "accepted.openapi.path=/openapi/jobs.json")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .getBean("acceptedOpenApiRegistration")
                        .extracting("urlMappings")
                        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.COLLECTION)
                        .containsExactly("/openapi/jobs.json"));
    }
}
