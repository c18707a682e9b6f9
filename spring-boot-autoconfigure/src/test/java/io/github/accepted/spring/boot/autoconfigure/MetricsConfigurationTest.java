package io.github.accepted.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.Accepted;
import io.github.accepted.JobHandler;
import io.github.accepted.JobStatus;
import io.github.accepted.micrometer.AcceptedMetrics;
import io.github.accepted.spring.boot.AcceptedJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** With accepted-micrometer on the class path, the engine's meters land in the application's registry. */
class MetricsConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AcceptedAutoConfiguration.class))
            .withUserConfiguration(Handlers.class);

    @Configuration(proxyBeanMethods = false)
    static class Handlers {
        @Bean
        @AcceptedJob(type = "report", route = "POST /api/reports")
        JobHandler<Map<String, Object>, String> report() {
            return (input, context) -> "done";
        }

        @Bean
        MeterRegistry registry() {
            return new SimpleMeterRegistry();
        }
    }

    @Test
    void theEnginesMeters_areInTheApplicationsRegistry_andCount() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(AcceptedMetrics.class);
            Accepted accepted = context.getBean(Accepted.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            var job = accepted.submit("report", "alice", Map.of("year", 2026));
            await().atMost(Duration.ofSeconds(10)).until(() -> accepted.find(job.id(), "alice")
                    .map(found -> found.status() == JobStatus.SUCCEEDED)
                    .orElse(false));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(registry.get("accepted.jobs.submitted")
                                .tag("type", "report")
                                .counter()
                                .count())
                        .isEqualTo(1.0);
                assertThat(registry.get("accepted.jobs.completed")
                                .tag("type", "report")
                                .tag("outcome", "succeeded")
                                .counter()
                                .count())
                        .isEqualTo(1.0);
            });
        });
    }

    @Test
    void metricsBackOff_whenTurnedOff() {
        runner.withPropertyValues("accepted.metrics.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(AcceptedMetrics.class));
    }
}
