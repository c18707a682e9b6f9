package io.github.accepted.servlet;

import io.github.accepted.conformance.HttpConformanceSuite;
import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;

/** The HTTP contract on embedded Tomcat 11. */
class TomcatConformanceTest extends HttpConformanceSuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) throws Exception {
        return TomcatServers.start(engine);
    }
}
