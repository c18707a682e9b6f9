package io.github.accepted.servlet;

import io.github.accepted.conformance.HttpConformanceSuite;
import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;

/** The HTTP contract on embedded Jetty 12 (ee10). */
class JettyConformanceTest extends HttpConformanceSuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) throws Exception {
        return JettyServers.start(engine);
    }
}
