package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PayloadTest {

    @Test
    void aPayloadNotLoaded_knowsItsMediaType_butRefusesToHandOutContent() {
        Payload unread = Payload.notLoaded("application/pdf");
        assertThat(unread.isLoaded()).isFalse();
        assertThat(unread.mediaType()).isEqualTo("application/pdf");
        assertThat(unread.isJson()).isFalse();
        assertThatThrownBy(unread::bytes).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(unread::size).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(unread::text).isInstanceOf(IllegalStateException.class);
        assertThat(unread).hasToString("Payload[application/pdf, not loaded]");
    }

    @Test
    void aPayloadNotLoaded_isNotEqualToAnEmptyOne() {
        assertThat(Payload.notLoaded(Payload.JSON))
                .isNotEqualTo(new Payload(Payload.JSON, new byte[0]))
                .isEqualTo(Payload.notLoaded(Payload.JSON));
        assertThat(new Payload(Payload.JSON, new byte[0]).isLoaded()).isTrue();
    }
}
