package io.github.accepted.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Lines up {@code accepted.shutdown-timeout} with Spring's per-phase shutdown timeout: unless the
 * application sets {@code spring.lifecycle.timeout-per-shutdown-phase}, it becomes
 * {@code accepted.shutdown-timeout} + {@value #MARGIN_SECONDS} s (at least Spring's 30 s
 * default); when the application sets it shorter than the jobs need, startup fails.
 */
public final class ShutdownTimeouts implements EnvironmentPostProcessor, Ordered {

    /** Spring's property. */
    static final String PHASE_TIMEOUT = "spring.lifecycle.timeout-per-shutdown-phase";
    /** Beyond the shutdown timeout, what closing needs: interrupted jobs' grace, the executor's, the store. */
    static final long MARGIN_SECONDS = 5;
    /** What closing needs at least beyond the shutdown timeout (the engine's two 1 s graces). */
    static final Duration CLOSE_OVERHEAD = Duration.ofSeconds(2);

    private static final Duration SPRING_DEFAULT = Duration.ofSeconds(30);

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty(PHASE_TIMEOUT)) {
            return;
        }
        Duration jobs = Binder.get(environment)
                .bind("accepted.shutdown-timeout", Duration.class)
                .orElse(AcceptedProperties.DEFAULT_SHUTDOWN_TIMEOUT);
        Duration phase = jobs.plusSeconds(MARGIN_SECONDS);
        if (phase.compareTo(SPRING_DEFAULT) > 0) {
            environment
                    .getPropertySources()
                    .addLast(new MapPropertySource(
                            "acceptedShutdownTimeouts", Map.of(PHASE_TIMEOUT, phase.toMillis() + "ms")));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /**
     * Fails when Spring would stop the web server before the jobs had their time.
     *
     * @throws IllegalStateException naming both properties and the value to set
     */
    static void check(Duration shutdownTimeout, Environment environment) {
        Duration phase =
                Binder.get(environment).bind(PHASE_TIMEOUT, Duration.class).orElse(SPRING_DEFAULT);
        Duration needed = shutdownTimeout.plus(CLOSE_OVERHEAD);
        if (phase.compareTo(needed) < 0) {
            throw new IllegalStateException("spring.lifecycle.timeout-per-shutdown-phase (" + phase
                    + ") is shorter than accepted.shutdown-timeout (" + shutdownTimeout + ") plus "
                    + CLOSE_OVERHEAD.toSeconds() + " s: the web server would stop while jobs still run. Set it to at "
                    + "least " + needed.toSeconds()
                    + "s, or remove it and the starter sets it to accepted.shutdown-timeout + "
                    + MARGIN_SECONDS + "s");
        }
    }
}
