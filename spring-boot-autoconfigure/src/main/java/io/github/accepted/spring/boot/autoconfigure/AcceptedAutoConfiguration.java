package io.github.accepted.spring.boot.autoconfigure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.accepted.Accepted;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.spi.JobContextPropagator;
import io.github.accepted.spi.JobExecutor;
import io.github.accepted.spi.JobListener;
import io.github.accepted.spi.JobStore;
import io.github.accepted.spring.boot.AcceptedObjectMapperCustomizer;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Accepted for a Spring Boot application: the engine with the application's
 * {@link io.github.accepted.spring.boot.AcceptedJob} handler beans, its HTTP protocol, the store
 * (PostgreSQL when there is a {@code DataSource} and accepted-postgres, else memory), the
 * workers, the owner resolver, the shutdown order, and on a servlet web server the
 * registration of Accepted's servlet. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@EnableConfigurationProperties(AcceptedProperties.class)
@Import({
    StoreConfigurations.Postgres.class,
    StoreConfigurations.Memory.class,
    OwnerConfigurations.SpringSecurity.class,
    OwnerConfigurations.UserPrincipal.class,
    ServletConfiguration.class,
    WebFluxConfiguration.class,
    OpenApiConfiguration.class,
    SecurityHelpersConfiguration.class,
    HealthConfiguration.class,
    MetricsConfiguration.class
})
public class AcceptedAutoConfiguration {

    /** The workers: a fixed pool of {@code accepted.workers} threads, owned by the engine. */
    @Bean
    @ConditionalOnMissingBean
    JobExecutor acceptedJobExecutor(AcceptedProperties properties) {
        return JobExecutor.fixedThreadPool(properties.getWorkers());
    }

    /**
     * The engine, with every {@code JobHandler} bean, every {@code JobListener} and
     * {@code JobContextPropagator} bean (metrics, traces, audit), and a strict Jackson 2 mapper of
     * its own (customizers add to it). Closed by {@link #acceptedLifecycle} before the web server stops.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Accepted accepted(
            AcceptedProperties properties,
            JobStore store,
            JobExecutor executor,
            ObjectProvider<AcceptedObjectMapperCustomizer> customizers,
            ObjectProvider<JobListener> listeners,
            ObjectProvider<JobContextPropagator> propagators,
            ConfigurableListableBeanFactory beans) {
        Accepted.Builder builder = Accepted.builder()
                .store(store)
                .executor(executor)
                .retention(properties.getRetention())
                .purgeInterval(properties.getPurgeInterval())
                .pollInterval(properties.getPollInterval())
                .prefetch(properties.getPrefetch())
                .shutdownTimeout(properties.getShutdownTimeout())
                .objectMapper(objectMapper(customizers));
        JobBeans handlers = JobBeans.of(beans);
        if (handlers.isEmpty()) {
            throw new IllegalStateException("Accepted has no job types: declare a JobHandler bean with "
                    + "@AcceptedJob(type = ..., route = \"POST /path\"), or exclude AcceptedAutoConfiguration");
        }
        handlers.registerOn(builder);
        listeners.orderedStream().forEach(builder::listener);
        propagators.orderedStream().forEach(builder::propagator);
        return builder.build();
    }

    static ObjectMapper objectMapper(ObjectProvider<AcceptedObjectMapperCustomizer> customizers) {
        JsonMapper.Builder builder = ((JsonMapper) Accepted.defaultObjectMapper()).rebuild();
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /** The HTTP side: the routes of the handler beans and {@code accepted.routes.*}, and the settings. */
    @Bean
    @ConditionalOnMissingBean
    ProtocolEngine acceptedProtocolEngine(
            Accepted accepted, AcceptedProperties properties, ConfigurableListableBeanFactory beans) {
        ProtocolEngine.Builder builder = ProtocolEngine.builder(accepted)
                .jobsPath(properties.getJobsPath())
                .maxBodyBytes((int) properties.getMaxBodySize().toBytes())
                .maxInlineResultBytes((int) properties.getMaxInlineResultSize().toBytes())
                .maxRetryAfter(properties.getMaxRetryAfter())
                .maxWait(properties.getMaxWait())
                .resultRedirect(properties.isResultRedirect())
                .trustedProxies(Set.copyOf(properties.getTrustedProxies()))
                .allowedHosts(Set.copyOf(properties.getAllowedHosts()));
        if (properties.getRetryAfter() != null) {
            builder.retryAfter(properties.getRetryAfter());
        }
        for (RouteSpec spec : JobBeans.of(beans).routes(properties.getRoutes())) {
            builder.route(spec.toRoute());
        }
        return builder.build();
    }

    /**
     * Stops intake and lets running jobs finish before the web server's graceful shutdown begins.
     *
     * @throws IllegalStateException if {@code spring.lifecycle.timeout-per-shutdown-phase} is too
     *                               short for {@code accepted.shutdown-timeout}
     */
    @Bean
    @ConditionalOnMissingBean(name = "acceptedLifecycle")
    SmartLifecycle acceptedLifecycle(Accepted accepted, AcceptedProperties properties, Environment environment) {
        ShutdownTimeouts.check(properties.getShutdownTimeout(), environment);
        return new AcceptedLifecycle(accepted);
    }
}
