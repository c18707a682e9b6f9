/**
 * Test suites written once and run by every implementation:
 * {@link io.github.accepted.conformance.JobStoreContract} for stores and
 * {@link io.github.accepted.conformance.HttpConformanceSuite} for adapters and containers.
 */
package io.github.accepted.conformance;
