/**
 * Serves Accepted from any Jakarta Servlet 6 container: {@link io.github.accepted.servlet.AcceptedInitializer}
 * registers {@link io.github.accepted.servlet.AcceptedServlet} on the engine's routes and jobs path;
 * {@link io.github.accepted.servlet.OwnerResolver} decides who owns a request's jobs.
 */
@NullMarked
package io.github.accepted.servlet;

import org.jspecify.annotations.NullMarked;
