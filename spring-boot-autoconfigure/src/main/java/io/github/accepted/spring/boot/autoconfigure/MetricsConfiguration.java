package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.micrometer.AcceptedMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code accepted-micrometer} on the class path: the engine's meters (queue depth, waits,
 * run times, outcomes by job type; see docs/observability.md) in the application's
 * {@code MeterRegistry} — Actuator's, so {@code /actuator/metrics} and {@code /actuator/prometheus}
 * show them — or Micrometer's global registry when the application has none. Off with
 * {@code accepted.metrics.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({AcceptedMetrics.class, MeterRegistry.class})
@ConditionalOnProperty(name = "accepted.metrics.enabled", havingValue = "true", matchIfMissing = true)
class MetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AcceptedMetrics acceptedMetrics(ObjectProvider<MeterRegistry> registry) {
        return AcceptedMetrics.of(registry.getIfAvailable(() -> Metrics.globalRegistry));
    }
}
