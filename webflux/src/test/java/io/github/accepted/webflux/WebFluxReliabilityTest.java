package io.github.accepted.webflux;

import io.github.accepted.conformance.ReliabilitySuite;
import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;

/** The kit's ReliabilitySuite on Reactor Netty, through {@link AcceptedWebHandler}. */
class WebFluxReliabilityTest extends ReliabilitySuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) {
        return WebFluxServers.webHandler(engine);
    }
}
