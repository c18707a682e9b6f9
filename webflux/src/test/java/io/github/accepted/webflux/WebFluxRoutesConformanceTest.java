package io.github.accepted.webflux;

import io.github.accepted.conformance.HttpConformanceSuite;
import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;

/** The HTTP contract on Reactor Netty, through {@link AcceptedRoutes} (WebFlux's functional endpoints). */
class WebFluxRoutesConformanceTest extends HttpConformanceSuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) {
        return WebFluxServers.routes(engine);
    }
}
