/**
 * Accepted's API: the job engine ({@link io.github.accepted.Accepted}), the handler a job type
 * runs ({@link io.github.accepted.JobHandler}, {@link io.github.accepted.JobContext}), and the
 * values it deals in ({@link io.github.accepted.Job}, {@link io.github.accepted.JobId},
 * {@link io.github.accepted.JobStatus}, {@link io.github.accepted.Progress},
 * {@link io.github.accepted.Payload}, {@link io.github.accepted.Problem}).
 *
 * <p>Every exception thrown here extends {@link io.github.accepted.AcceptedException}. No method
 * takes or returns null.
 */
@NullMarked
package io.github.accepted;

import org.jspecify.annotations.NullMarked;
