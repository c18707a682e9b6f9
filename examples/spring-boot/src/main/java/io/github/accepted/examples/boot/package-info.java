/** A Spring Boot application with Accepted's starter: an export endpoint, two users, optional PostgreSQL. */
package io.github.accepted.examples.boot;
