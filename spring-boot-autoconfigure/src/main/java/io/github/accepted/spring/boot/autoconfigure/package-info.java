/**
 * The starter's auto-configuration: {@link io.github.accepted.spring.boot.autoconfigure.AcceptedAutoConfiguration}
 * and its {@code accepted.*} {@link io.github.accepted.spring.boot.autoconfigure.AcceptedProperties}.
 */
@NullMarked
package io.github.accepted.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
