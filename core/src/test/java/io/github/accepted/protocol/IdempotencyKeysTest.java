package io.github.accepted.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyKeysTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"\"",
                "\"unterminated",
                "\"bad \\x escape\"",
                "has space",
                "\"caf\u00e9\"",
                "\"a\"b\"",
                "\"tab\there\""
            })
    void malformedKeys_areRefused(String header) {
        assertThatThrownBy(() -> IdempotencyKeys.parse(header)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"\"8e03978e-40d5-43e8-bc93-6894a57f9324\"", "bare-token_1", "\"with \\\"quote\\\" and space\""})
    void wellFormedKeys_areRead(String header) {
        assertThat(IdempotencyKeys.parse(header)).isNotEmpty();
    }
}
