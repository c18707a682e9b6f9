/**
 * Not API: what Accepted's own packages and modules share with each other (the protocol engine,
 * the stores, the Spring Boot and benchmark modules, the conformance kit). Anything here may
 * change or vanish in any release, patch releases included; it is left out of the javadoc.
 * Applications and store authors use {@code io.github.accepted} and {@code io.github.accepted.spi}.
 */
@NullMarked
package io.github.accepted.internal;

import org.jspecify.annotations.NullMarked;
