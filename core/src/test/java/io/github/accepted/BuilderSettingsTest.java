package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.accepted.protocol.ProtocolEngine;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every builder refuses a setting given twice the same way (issue 18: it was three ways). */
class BuilderSettingsTest {

    @Test
    void acceptedBuilder_refusesASettingGivenTwice() {
        Accepted.Builder builder = Accepted.builder().retention(Duration.ofHours(1));
        assertThatThrownBy(() -> builder.retention(Duration.ofHours(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("retention is set already");
    }

    @Test
    void callbacksBuilder_refusesASettingGivenTwice() {
        Callbacks.Builder builder = Callbacks.builder().maxPerJob(3);
        assertThatThrownBy(() -> builder.maxPerJob(4))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("maxPerJob is set already");
    }

    @Test
    void protocolEngineBuilder_refusesASettingGivenTwice_setsIncluded() {
        try (Accepted accepted = Accepted.builder()
                .handler("t", String.class, (input, context) -> input)
                .build()) {
            ProtocolEngine.Builder builder = ProtocolEngine.builder(accepted).trustedProxies(Set.of("10.0.0.1"));
            assertThatThrownBy(() -> builder.trustedProxies(Set.of("10.0.0.2")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("trustedProxies is set already");
            builder.maxBodyBytes(1024);
            assertThatThrownBy(() -> builder.maxBodyBytes(2048))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("maxBodyBytes is set already");
        }
    }
}
