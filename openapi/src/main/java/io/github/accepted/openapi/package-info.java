/**
 * Describes a {@link io.github.accepted.protocol.ProtocolEngine} as an OpenAPI 3.1 document:
 * {@link io.github.accepted.openapi.OpenApiDocument} renders it, with each job type's input
 * schema generated from its handler's input class; {@link io.github.accepted.openapi.AcceptedOpenApiServlet}
 * serves it. See {@code docs/openapi.md}.
 */
@NullMarked
package io.github.accepted.openapi;

import org.jspecify.annotations.NullMarked;
