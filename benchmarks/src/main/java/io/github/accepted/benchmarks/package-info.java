/**
 * JMH benchmarks of Accepted's engine, stores and adapters; {@code RunAll} runs them. See
 * docs/benchmarks.md.
 */
@NullMarked
package io.github.accepted.benchmarks;

import org.jspecify.annotations.NullMarked;
