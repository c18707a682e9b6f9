package io.github.accepted.webflux;

import io.github.accepted.conformance.BadInputSuite;
import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;

/** The kit's BadInputSuite on Reactor Netty, through {@link AcceptedWebHandler}. */
class WebFluxBadInputTest extends BadInputSuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) {
        return WebFluxServers.webHandler(engine);
    }
}
