/**
 * Serves Accepted from Spring WebFlux without holding a thread per client:
 * {@link io.github.accepted.webflux.AcceptedWebHandler} as an application's whole {@code WebHandler},
 * {@link io.github.accepted.webflux.AcceptedRoutes} as a {@code RouterFunction} beside other routes;
 * {@link io.github.accepted.webflux.OwnerResolver} decides who owns a request's jobs.
 */
@NullMarked
package io.github.accepted.webflux;

import org.jspecify.annotations.NullMarked;
