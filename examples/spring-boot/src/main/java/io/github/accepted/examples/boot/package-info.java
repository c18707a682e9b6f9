/** A Spring Boot application with Accepted's starter: an export endpoint, two users, optional PostgreSQL. */
@NullMarked
package io.github.accepted.examples.boot;

import org.jspecify.annotations.NullMarked;
