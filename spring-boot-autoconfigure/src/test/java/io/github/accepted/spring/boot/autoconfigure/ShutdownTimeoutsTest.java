package io.github.accepted.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** One setting lines up the timeouts: Spring's per-phase timeout follows accepted.shutdown-timeout. */
class ShutdownTimeoutsTest {

    private static StandardEnvironment environment(java.util.Map<String, Object> values) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", values));
        new ShutdownTimeouts().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    @Test
    void longShutdownTimeout_raisesSpringsPhaseTimeout_toItPlusFiveSeconds() {
        StandardEnvironment environment = environment(java.util.Map.of("accepted.shutdown-timeout", "60s"));

        assertThat(environment.getProperty(ShutdownTimeouts.PHASE_TIMEOUT)).isEqualTo("65000ms");
    }

    @Test
    void defaults_leaveSpringsThirtySecondsAlone() {
        assertThat(environment(java.util.Map.of()).getProperty(ShutdownTimeouts.PHASE_TIMEOUT))
                .isNull();
    }

    @Test
    void anExplicitPhaseTimeout_isTheApplicationsChoice() {
        StandardEnvironment environment = environment(
                java.util.Map.of("accepted.shutdown-timeout", "60s", ShutdownTimeouts.PHASE_TIMEOUT, "90s"));

        assertThat(environment.getProperty(ShutdownTimeouts.PHASE_TIMEOUT)).isEqualTo("90s");
    }
}
