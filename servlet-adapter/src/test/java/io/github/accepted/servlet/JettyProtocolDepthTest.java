package io.github.accepted.servlet;

import io.github.accepted.conformance.ProtocolDepthSuite;
import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;

/** The protocol's depth on embedded Jetty. */
class JettyProtocolDepthTest extends ProtocolDepthSuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) throws Exception {
        return JettyServers.start(engine);
    }

    @Override
    protected RunningServer startWithThreads(ProtocolEngine engine, int threads) throws Exception {
        return JettyServers.startWithThreads(engine, threads);
    }
}
