/**
 * Extension points: where jobs are kept ({@link io.github.accepted.spi.JobStore}, with
 * {@link io.github.accepted.spi.JobStore#inMemory()}) and what runs them
 * ({@link io.github.accepted.spi.JobExecutor}). A new store proves itself by running the
 * {@code JobStoreContract} of {@code accepted-conformance}. What the engine tells the outside:
 * job events to {@link io.github.accepted.spi.JobListener}s, and context carried from a submit
 * to the job's runs by {@link io.github.accepted.spi.JobContextPropagator}s.
 */
@NullMarked
package io.github.accepted.spi;

import org.jspecify.annotations.NullMarked;
