/**
 * OpenTelemetry tracing across Accepted's queue: {@link io.github.accepted.opentelemetry.AcceptedTracing},
 * a {@link io.github.accepted.spi.JobContextPropagator}. See docs/observability.md.
 */
@NullMarked
package io.github.accepted.opentelemetry;

import org.jspecify.annotations.NullMarked;
