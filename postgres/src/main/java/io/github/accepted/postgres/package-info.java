/**
 * {@link io.github.accepted.postgres.PostgresJobStore}: Accepted's jobs in PostgreSQL, shared by
 * several instances. See docs/postgres.md.
 */
@NullMarked
package io.github.accepted.postgres;

import org.jspecify.annotations.NullMarked;
