package io.github.accepted.webflux;

import io.github.accepted.conformance.HttpConformanceSuite;
import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;

/** The kit's HttpConformanceSuite on Reactor Netty, through {@link AcceptedWebHandler}. */
class WebFluxHttpConformanceTest extends HttpConformanceSuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) {
        return WebFluxServers.webHandler(engine);
    }
}
