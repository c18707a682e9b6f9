/**
 * What a Spring Boot application uses of Accepted's starter: {@link io.github.accepted.spring.boot.AcceptedJob}
 * to name handler beans, {@link io.github.accepted.spring.boot.AcceptedObjectMapperCustomizer} to extend the
 * JSON mapper. Settings are {@code accepted.*} properties; see {@code docs/spring-boot.md}.
 */
@NullMarked
package io.github.accepted.spring.boot;

import org.jspecify.annotations.NullMarked;
