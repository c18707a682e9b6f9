/**
 * Micrometer meters of an Accepted engine: {@link io.github.accepted.micrometer.AcceptedMetrics},
 * a {@link io.github.accepted.spi.JobListener}. See docs/observability.md for every meter.
 */
@NullMarked
package io.github.accepted.micrometer;

import org.jspecify.annotations.NullMarked;
