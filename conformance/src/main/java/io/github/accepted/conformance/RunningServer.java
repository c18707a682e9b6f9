package io.github.accepted.conformance;

import java.net.URI;

/**
 * A container serving one {@link io.github.accepted.protocol.ProtocolEngine} on a real socket,
 * as an adapter's test starts it for {@link HttpConformanceSuite}.
 */
public interface RunningServer extends AutoCloseable {

    /** The application's base, such as {@code http://127.0.0.1:41234/app}, without a trailing slash. */
    URI baseUri();

    /** Stops the container. */
    @Override
    void close() throws Exception;
}
