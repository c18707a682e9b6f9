/**
 * {@link io.github.accepted.postgres.PostgresJobStore}: Accepted's jobs in PostgreSQL, shared by
 * several instances. See docs/postgres.md.
 */
package io.github.accepted.postgres;
