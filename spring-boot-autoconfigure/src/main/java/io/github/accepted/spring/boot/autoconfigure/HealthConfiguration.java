package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.Accepted;
import io.github.accepted.spi.JobStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** With Spring Boot's health support (Actuator): the {@code accepted} health indicator. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(HealthIndicator.class)
class HealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "acceptedHealthIndicator")
    HealthIndicator acceptedHealthIndicator(Accepted accepted, JobStore store, AcceptedProperties properties) {
        return new AcceptedHealthIndicator(accepted, store, properties.getMaxQueued());
    }
}
