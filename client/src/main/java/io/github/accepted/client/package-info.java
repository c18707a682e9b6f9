/**
 * A Java client for {@code 202 Accepted} job APIs: {@link io.github.accepted.client.AcceptedClient}
 * submits, {@link io.github.accepted.client.JobHandle} follows the job to its
 * {@link io.github.accepted.client.JobResult} or to a typed
 * {@link io.github.accepted.client.AcceptedClientException}.
 */
@NullMarked
package io.github.accepted.client;

import org.jspecify.annotations.NullMarked;
