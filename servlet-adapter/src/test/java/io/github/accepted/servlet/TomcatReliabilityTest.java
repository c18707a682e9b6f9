package io.github.accepted.servlet;

import io.github.accepted.conformance.ReliabilitySuite;
import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;

/** Overload and shutdown under load on embedded Tomcat. */
class TomcatReliabilityTest extends ReliabilitySuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) throws Exception {
        return TomcatServers.start(engine);
    }
}
