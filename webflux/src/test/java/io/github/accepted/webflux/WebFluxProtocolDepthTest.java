package io.github.accepted.webflux;

import io.github.accepted.conformance.ProtocolDepthSuite;
import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;

/** The kit's ProtocolDepthSuite on Reactor Netty, through {@link AcceptedWebHandler}. */
class WebFluxProtocolDepthTest extends ProtocolDepthSuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) {
        return WebFluxServers.webHandler(engine);
    }

    @Override
    protected RunningServer startWithThreads(ProtocolEngine engine, int threads) {
        return WebFluxServers.webHandlerWithThreads(engine, threads);
    }
}
