/**
 * Extension points: where jobs are kept ({@link io.github.accepted.spi.JobStore}, with
 * {@link io.github.accepted.spi.JobStore#inMemory()}) and what runs them
 * ({@link io.github.accepted.spi.JobExecutor}). A new store proves itself by running the
 * {@code JobStoreContract} of {@code accepted-conformance}.
 */
package io.github.accepted.spi;
