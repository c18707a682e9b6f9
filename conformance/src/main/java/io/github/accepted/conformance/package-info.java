/**
 * Test suites written once and run by every implementation:
 * {@link io.github.accepted.conformance.JobStoreContract} for stores; for adapters and containers,
 * all four of {@link io.github.accepted.conformance.HttpConformanceSuite},
 * {@link io.github.accepted.conformance.ProtocolDepthSuite},
 * {@link io.github.accepted.conformance.BadInputSuite} and
 * {@link io.github.accepted.conformance.ReliabilitySuite}, on the shared
 * {@link io.github.accepted.conformance.ConformanceHarness}. docs/adapters.md says how.
 */
@NullMarked
package io.github.accepted.conformance;

import org.jspecify.annotations.NullMarked;
