package io.github.accepted.servlet;

import io.github.accepted.conformance.ProtocolDepthSuite;
import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;

/** The protocol's depth on embedded Tomcat. */
class TomcatProtocolDepthTest extends ProtocolDepthSuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) throws Exception {
        return TomcatServers.start(engine);
    }

    @Override
    protected RunningServer startWithThreads(ProtocolEngine engine, int threads) throws Exception {
        return TomcatServers.startWithThreads(engine, threads);
    }
}
