package io.github.accepted.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.accepted.Accepted;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What an engine tells a describer (the OpenAPI module) about its configuration. */
class EngineDescriptionTest {

    record Text(String text) {}

    private final Accepted accepted = Accepted.builder()
            .handler("t", Text.class, (in, ctx) -> in)
            .handler("u", String.class, (in, ctx) -> in)
            .build();

    @AfterEach
    void close() {
        accepted.close();
    }

    @Test
    void routes_listsEveryRouteByPathThenMethod_withItsOptions() {
        ProtocolEngine engine = ProtocolEngine.builder(accepted)
                .route(Route.of("PUT", "/b", "u").echoInput())
                .route(Route.of("POST", "/b", "u").echoInput())
                .route(Route.of("POST", "/a", "t").requireIdempotencyKey())
                .build();

        assertThat(engine.routes())
                .extracting(Route::toString)
                .containsExactly("POST /a -> t", "POST /b -> u", "PUT /b -> u");
        assertThat(engine.routes().get(0).idempotencyKeyRequired()).isTrue();
        assertThat(engine.routes().get(0).echoesInput()).isFalse();
        assertThat(engine.routes().get(1).idempotencyKeyRequired()).isFalse();
        assertThat(engine.routes().get(1).echoesInput()).isTrue();
        assertThat(engine.redirectsToResult()).isFalse();
    }

    @Test
    void redirectsToResult_isTheBuildersSetting() {
        assertThat(ProtocolEngine.builder(accepted)
                        .route("POST", "/a", "t")
                        .resultRedirect(true)
                        .build()
                        .redirectsToResult())
                .isTrue();
    }

    @Test
    void inputClass_isTheClassTheHandlerWasRegisteredWith() {
        assertThat(accepted.inputClass("t")).contains(Text.class);
        assertThat(accepted.inputClass("u")).contains(String.class);
        assertThat(accepted.inputClass("nope")).isEmpty();
    }
}
