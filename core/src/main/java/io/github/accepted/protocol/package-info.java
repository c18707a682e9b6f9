/**
 * The HTTP contract, framework-neutral: {@link io.github.accepted.protocol.ProtocolEngine} takes
 * a {@link io.github.accepted.protocol.ProtocolRequest} and returns an
 * {@link io.github.accepted.protocol.AcceptedResponse}. Adapters for a web framework translate
 * into and out of these and decide nothing; see {@code docs/adapters.md}.
 */
@NullMarked
package io.github.accepted.protocol;

import org.jspecify.annotations.NullMarked;
