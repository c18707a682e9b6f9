package io.github.accepted.spring.boot;

import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Adds to the Jackson 2 mapper Accepted reads job inputs and writes results with. Declare one or
 * more as beans ({@code @Order} decides their order).
 *
 * <p>The builder starts from {@link io.github.accepted.Accepted#defaultObjectMapper()}: strict
 * reading (unknown fields, {@code "10"} for a number, {@code 10.7} for an integer, trailing
 * tokens and {@code null} for primitives are errors) and read limits. Register modules and naming
 * strategies here; turning a strict feature off turns that input check off, for every job type.
 * Spring's own mapper (Jackson 3 on Boot 4) is never used for Accepted.
 *
 * <pre>{@code
 * @Bean
 * AcceptedObjectMapperCustomizer javaTime() {
 *     return builder -> builder.addModule(new JavaTimeModule());
 * }
 * }</pre>
 */
@FunctionalInterface
public interface AcceptedObjectMapperCustomizer {

    /** Changes {@code builder}; called once, at startup, on the thread that builds the engine. */
    void customize(JsonMapper.Builder builder);
}
