package io.github.accepted.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.accepted.Accepted;
import io.github.accepted.JobHandler;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.servlet.OwnerResolver;
import io.github.accepted.spi.JobExecutor;
import io.github.accepted.spi.JobStore;
import io.github.accepted.spring.boot.AcceptedJob;
import io.github.accepted.spring.boot.security.AcceptedRequestMatcher;
import io.github.accepted.spring.boot.security.ProblemSecurityHandler;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the auto-configuration provides, when it backs off, and how it refuses bad settings. */
class AutoConfigurationTest {

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
    }

    @Test
    void providesEveryBean_fromTheHandlerBeansAndDefaults() {
        runner.run(context -> {
            assertThat(context)
                    .hasSingleBean(Accepted.class)
                    .hasSingleBean(ProtocolEngine.class)
                    .hasSingleBean(JobStore.class)
                    .hasSingleBean(JobExecutor.class)
                    .hasSingleBean(OwnerResolver.class)
                    .hasSingleBean(AcceptedRequestMatcher.class)
                    .hasSingleBean(ProblemSecurityHandler.class)
                    .hasBean("acceptedHealthIndicator")
                    .hasBean("acceptedLifecycle");
            assertThat(context.getBean(Accepted.class).jobTypes()).containsExactly("report");
            assertThat(context.getBean(ProtocolEngine.class).routePaths()).containsExactly("/api/reports");
            assertThat(context.getBean(JobStore.class).getClass().getSimpleName())
                    .isEqualTo("InMemoryJobStore");
            assertThat(context.getBean(OwnerResolver.class)).isInstanceOf(AuthenticationOwnerResolver.class);
        });
    }

    @Test
    void registersAnAsyncServlet_onRoutes_jobsPath_andTheirTrailingSlashes_inAServletWebApplication() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AcceptedAutoConfiguration.class))
                .withUserConfiguration(Handlers.class)
                .run(context -> {
                    ServletRegistrationBean<?> registration =
                            context.getBean(ServletConfiguration.REGISTRATION, ServletRegistrationBean.class);
                    assertThat(registration.getUrlMappings())
                            .containsExactlyInAnyOrder("/api/reports", "/api/reports/", "/jobs", "/jobs/*");
                    assertThat(registration.isAsyncSupported()).isTrue();
                });
        runner.run(context -> assertThat(context).doesNotHaveBean(ServletConfiguration.REGISTRATION));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final JobStore STORE = JobStore.inMemory(5, 50);
        static final JobExecutor EXECUTOR = JobExecutor.fixedThreadPool(1);
        static final OwnerResolver OWNERS = request -> "tenant";

        @Bean
        JobStore myStore() {
            return STORE;
        }

        @Bean
        JobExecutor myExecutor() {
            return EXECUTOR;
        }

        @Bean
        OwnerResolver myOwners() {
            return OWNERS;
        }
    }

    @Test
    void backsOff_whenTheApplicationDefinesTheStoreExecutorOrOwnerResolver() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context.getBean(JobStore.class)).isSameAs(OwnBeans.STORE);
            assertThat(context.getBean(JobExecutor.class)).isSameAs(OwnBeans.EXECUTOR);
            assertThat(context.getBean(OwnerResolver.class)).isSameAs(OwnBeans.OWNERS);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEngine {
        @Bean
        Accepted myAccepted() {
            return Accepted.builder()
                    .handler("mine", String.class, (input, context) -> input)
                    .build();
        }

        @Bean
        ProtocolEngine myProtocol(Accepted accepted) {
            return ProtocolEngine.builder(accepted)
                    .route("POST", "/mine", "mine")
                    .build();
        }
    }

    @Test
    void backsOff_whenTheApplicationDefinesTheEngines() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AcceptedAutoConfiguration.class))
                .withUserConfiguration(OwnEngine.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(Accepted.class).hasSingleBean(ProtocolEngine.class);
                    assertThat(context.getBean(Accepted.class).jobTypes()).containsExactly("mine");
                    assertThat(context.getBean(ProtocolEngine.class).routePaths())
                            .containsExactly("/mine");
                });
    }

    @Test
    void routeProperties_changeAnAnnotatedRoute_addRoutes_andDisableThem() {
        runner.withPropertyValues(
                        "accepted.routes.report.route=PUT /v2/reports",
                        "accepted.routes.report.require-idempotency-key=true",
                        "accepted.routes.legacy.type=report",
                        "accepted.routes.legacy.route=POST /old/reports",
                        "accepted.routes.gone.type=report",
                        "accepted.routes.gone.route=POST /gone",
                        "accepted.routes.gone.enabled=false",
                        "accepted.jobs-path=/operations")
                .run(context -> {
                    ProtocolEngine engine = context.getBean(ProtocolEngine.class);
                    assertThat(engine.routePaths()).containsExactlyInAnyOrder("/v2/reports", "/old/reports");
                    assertThat(engine.jobsPath()).isEqualTo("/operations");
                });
    }

    @Test
    void badProperty_failsStartup_namingThePropertyAndTheRule() {
        runner.withPropertyValues(
                        "accepted.workers=0",
                        "accepted.routes.report.route=GET /api/reports",
                        "accepted.jobs-path=/jobs/")
                .run(context -> {
                    assertThat(context).hasFailed();
                    String message = messages(context.getStartupFailure());
                    assertThat(message)
                            .contains("accepted")
                            .contains("workers")
                            .contains("must be at least 1")
                            .contains("routes[report].route")
                            .contains("a submit route takes a body")
                            .contains("jobsPath")
                            .contains("without a trailing slash");
                });
        runner.withPropertyValues("accepted.prefetch=-1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("prefetch")
                    .contains("must be between 0 and 1024");
        });
        runner.withPropertyValues("accepted.max-wait=soon").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("accepted.max-wait");
        });
    }

    @Test
    void shutdownTimeout_longerThanSpringsPhaseTimeout_failsStartup_sayingWhatToSet() {
        runner.withPropertyValues("accepted.shutdown-timeout=40s", "spring.lifecycle.timeout-per-shutdown-phase=30s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(messages(context.getStartupFailure()))
                            .contains("spring.lifecycle.timeout-per-shutdown-phase")
                            .contains("at least 42s");
                });
        runner.withPropertyValues("accepted.shutdown-timeout=40s", "spring.lifecycle.timeout-per-shutdown-phase=45s")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Configuration(proxyBeanMethods = false)
    static class Unnamed {
        @Bean
        JobHandler<String, String> orphan() {
            return (input, context) -> input;
        }
    }

    @Test
    void handlerBeanWithoutAcceptedJob_failsStartup_namingTheBean() {
        runner.withUserConfiguration(Unnamed.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("'orphan'")
                    .contains("@AcceptedJob");
        });
    }

    @Test
    void noHandlerBean_failsStartup_sayingWhatToDeclare() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AcceptedAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(messages(context.getStartupFailure()))
                            .contains("declare a JobHandler bean with @AcceptedJob");
                });
    }

    @Test
    void healthIndicator_isUp_thenOutOfService_onceIntakeStops() {
        runner.run(context -> {
            HealthIndicator health = context.getBean("acceptedHealthIndicator", HealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(health.health().getDetails())
                    .containsEntry("accepting", true)
                    .containsEntry("maxQueued", 10_000)
                    .containsKey("waitingRequests");
            context.getBean(Accepted.class).close();
            assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        });
    }

    /** Regression: Spring's test context cache pauses contexts; pausing closed the engine for good. */
    @Test
    void pausingAndRestartingTheContext_leavesTheEngineTakingJobs() {
        runner.run(context -> {
            Accepted accepted = context.getBean(Accepted.class);
            context.pause();
            context.restart();
            assertThat(accepted.isAccepting()).isTrue();
            context.close();
            assertThat(accepted.isAccepting()).isFalse();
        });
    }

    @Test
    void configurationMetadata_isGenerated_forIdes() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(json)
                    .contains(
                            "\"accepted.shutdown-timeout\"",
                            "\"accepted.routes\"",
                            "\"accepted.workers\"",
                            "\"accepted.postgres.lease-timeout\"",
                            "\"accepted.max-body-size\"");
        }
    }

    static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
